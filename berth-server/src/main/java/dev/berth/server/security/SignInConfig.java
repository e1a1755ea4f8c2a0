package dev.berth.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.security.ldap.LdapProperties;
import dev.berth.server.security.ldap.LdapSignInProvider;
import dev.berth.server.security.oidc.OidcProperties;
import dev.berth.server.security.oidc.OidcRegistration;
import dev.berth.server.security.oidc.OidcSignIn;
import dev.berth.server.security.oidc.OidcStart;
import dev.berth.server.security.signin.SignInGuard;
import dev.berth.server.security.signin.SignInProperties;
import dev.berth.server.user.ExternalSignIn;
import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Wiring of sign-in: lock-out counters, LDAP and OpenID Connect when configured, and the {@link
 * SignInCustomizer} that {@code SecurityConfig} applies to its chains. LDAP and OpenID Connect need
 * an {@link ExternalSignIn} bean; their settings are checked at start (a bad group mapping stops
 * the server with the setting's name), their servers are not (they may be down at start).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SignInProperties.class, LdapProperties.class, OidcProperties.class})
@Import({SignInPageModel.class, OidcStart.class})
public class SignInConfig {
  @Bean
  public SignInGuard signInGuard(SignInProperties properties, Clock clock) {
    return new SignInGuard(properties, clock);
  }

  @Bean
  public OidcSignIn oidcSignIn(
      OidcProperties properties, Clock clock, ObjectProvider<ExternalSignIn> signIn) {
    return properties.enabled()
        ? new OidcSignIn(
            properties, new OidcRegistration(properties, clock), required(signIn, "oidc"))
        : null;
  }

  @Bean
  public SignInCustomizer signInCustomizer(
      PasswordAuthenticationProvider local,
      LdapProperties ldap,
      ObjectProvider<OidcSignIn> oidc,
      ObjectProvider<ExternalSignIn> signIn,
      SignInGuard guard,
      ObjectMapper mapper,
      Clock clock) {
    Optional<LdapSignInProvider> directory =
        ldap.enabled()
            ? Optional.of(new LdapSignInProvider(ldap, required(signIn, "ldap")))
            : Optional.empty();
    return new SignInCustomizer(
        local,
        directory,
        Optional.ofNullable(oidc.getIfAvailable()),
        guard,
        new BearerThrottleFilter(guard, mapper, clock));
  }

  private static ExternalSignIn required(ObjectProvider<ExternalSignIn> signIn, String prefix) {
    ExternalSignIn s = signIn.getIfAvailable();
    if (s == null) {
      throw new IllegalStateException(
          "berth.security."
              + prefix
              + " is configured but no ExternalSignIn bean records its users");
    }
    return s;
  }
}
