package dev.berth.core.runtime;

import dev.berth.core.support.BerthException;

/** The registry could not be reached or answered with a server error; worth retrying later. */
public class RegistryUnavailableException extends BerthException {
  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
