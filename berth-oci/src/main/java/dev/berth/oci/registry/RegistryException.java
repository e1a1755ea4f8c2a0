package dev.berth.oci.registry;

import dev.berth.core.support.BerthException;

/**
 * The registry answered in a way Berth cannot use (an unexpected status such as 400 or 405, a
 * missing header). The message names the registry, the request and the registry's own error text.
 */
public class RegistryException extends BerthException {
  public RegistryException(String message) {
    super(message);
  }
}
