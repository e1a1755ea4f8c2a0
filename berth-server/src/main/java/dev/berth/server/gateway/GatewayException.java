package dev.berth.server.gateway;

import dev.berth.core.support.BerthException;

/** nginx could not be driven as asked (a refused config, a process that would not start). */
public class GatewayException extends BerthException {
  public GatewayException(String message) {
    super(message);
  }
}
