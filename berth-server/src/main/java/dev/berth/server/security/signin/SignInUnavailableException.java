package dev.berth.server.security.signin;

import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * An identity provider (the LDAP directory) could not be asked: down, unreachable or misconfigured.
 * Not counted as a failed sign-in; the sign-in page says that the directory is unavailable and that
 * local accounts still work. Not an internal-service exception on purpose: the provider chain ends
 * with LDAP, so this is what the chain throws, and it is logged as one warning line, not a stack
 * trace.
 */
public class SignInUnavailableException extends AuthenticationServiceException {
  private static final long serialVersionUID = 1L;

  public SignInUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
