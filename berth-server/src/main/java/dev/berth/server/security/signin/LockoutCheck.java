package dev.berth.server.security.signin;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The first provider of the portal's chain: refuses a user name and password sign-in while the name
 * or the client address is locked ({@link SignInGuard}), before any password is checked; otherwise
 * passes on to the local and LDAP providers.
 */
public final class LockoutCheck implements AuthenticationProvider {
  private final SignInGuard guard;

  public LockoutCheck(SignInGuard guard) {
    this.guard = guard;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String address =
        authentication.getDetails() instanceof WebAuthenticationDetails d
            ? d.getRemoteAddress()
            : null;
    guard
        .lockedUntil(authentication.getName(), address)
        .ifPresent(
            until -> {
              throw new SignInLockedException(until);
            });
    return null;
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
