package dev.berth.server.security.signin;

import java.time.Instant;
import org.springframework.security.authentication.LockedException;

/**
 * A sign-in refused because its user name or client address failed too often. Being an
 * account-status exception, it stops the provider chain before any password is checked.
 */
public class SignInLockedException extends LockedException {
  private static final long serialVersionUID = 1L;

  public SignInLockedException(Instant until) {
    super("too many failed sign-ins; try again after " + until);
  }
}
