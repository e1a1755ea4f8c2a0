package dev.berth.server.security;

import dev.berth.server.security.ldap.LdapSignInProvider;
import dev.berth.server.security.oidc.OidcSignIn;
import dev.berth.server.security.signin.LockoutCheck;
import dev.berth.server.security.signin.PortalEntryPoint;
import dev.berth.server.security.signin.SignInGuard;
import dev.berth.server.security.signin.SignInOutcomes;
import java.util.Optional;
import org.springframework.security.config.annotation.authentication.builders.AuthenticationManagerBuilder;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * Adds the sign-in rules to {@code SecurityConfig}'s filter chains, kept here so that they stay in
 * one place. The portal's chain gets its own provider list: {@link LockoutCheck}, local accounts,
 * then LDAP when configured, with no fallback to a parent (so the order is exactly this, and a
 * directory that is down cannot hide a local account); the {@link SignInOutcomes} after each form
 * sign-in; {@code oauth2Login} when OpenID Connect is configured; and the {@link
 * BearerThrottleFilter}. The API chain gets the throttle filter. The session id changes on sign-in
 * (fixation protection).
 */
public final class SignInCustomizer {
  /** Where a sign-in goes when no page was asked for. */
  public static final String DEFAULT_TARGET = "/apps";

  private final PasswordAuthenticationProvider local;
  private final Optional<LdapSignInProvider> ldap;
  private final Optional<OidcSignIn> oidc;
  private final SignInGuard guard;
  private final BearerThrottleFilter tokens;

  public SignInCustomizer(
      PasswordAuthenticationProvider local,
      Optional<LdapSignInProvider> ldap,
      Optional<OidcSignIn> oidc,
      SignInGuard guard,
      BearerThrottleFilter tokens) {
    this.local = local;
    this.ldap = ldap;
    this.oidc = oidc;
    this.guard = guard;
    this.tokens = tokens;
  }

  /** For the portal's chain; call after its form login and bearer filter are set up. */
  public void portal(HttpSecurity http) throws Exception {
    http.getSharedObject(AuthenticationManagerBuilder.class).parentAuthenticationManager(null);
    http.authenticationProvider(new LockoutCheck(guard)).authenticationProvider(local);
    if (ldap.isPresent()) {
      http.authenticationProvider(ldap.get());
    }
    SignInOutcomes outcomes = new SignInOutcomes(guard, DEFAULT_TARGET);
    http.formLogin(f -> f.successHandler(outcomes).failureHandler(outcomes))
        .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
        .addFilterAfter(tokens, BearerTokenFilter.class);
    if (oidc.isPresent()) {
      oidc.get().configure(http, PortalEntryPoint.SIGN_IN, DEFAULT_TARGET, outcomes);
    }
  }

  /** For the API's chain; call after its bearer filter is set up. */
  public void api(HttpSecurity http) {
    http.addFilterAfter(tokens, BearerTokenFilter.class);
  }
}
