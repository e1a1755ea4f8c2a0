package dev.berth.oci.registry;

/**
 * The registry refused our credentials (or demanded credentials we do not have), denied access, or
 * its token service failed to issue a token. Retrying with the same credentials will not help.
 */
public class RegistryAuthenticationException extends RegistryException {
  public RegistryAuthenticationException(String message) {
    super(message);
  }
}
