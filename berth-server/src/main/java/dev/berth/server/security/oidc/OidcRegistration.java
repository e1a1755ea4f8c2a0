package dev.berth.server.security.oidc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * The one configured provider as Spring Security's client registration {@value #ID}, built from the
 * provider's discovery document on first use rather than at start, so that Berth starts (and local
 * and LDAP sign-in work) while the provider is down. A failed discovery is retried at most every
 * {@link #RETRY} and answers "no registration" meanwhile. Thread-safe.
 */
public final class OidcRegistration implements ClientRegistrationRepository {
  /** The registration id, also in the redirect URI {@code /login/oauth2/code/oidc}. */
  public static final String ID = "oidc";

  static final Duration RETRY = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(OidcRegistration.class);

  private final OidcProperties properties;
  private final Clock clock;
  private volatile ClientRegistration registration;
  private Instant failedAt;

  public OidcRegistration(OidcProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public ClientRegistration findByRegistrationId(String registrationId) {
    if (!ID.equals(registrationId) || !properties.enabled()) {
      return null;
    }
    ClientRegistration r = registration;
    return r != null ? r : discover();
  }

  private synchronized ClientRegistration discover() {
    if (registration != null) {
      return registration;
    }
    Instant now = clock.instant();
    if (failedAt != null && now.isBefore(failedAt.plus(RETRY))) {
      return null;
    }
    try {
      boolean isPublic = properties.clientSecret() == null || properties.clientSecret().isBlank();
      registration =
          ClientRegistrations.fromIssuerLocation(properties.issuerUri())
              .registrationId(ID)
              .clientName(properties.providerName())
              .clientId(properties.clientId())
              .clientSecret(isPublic ? null : properties.clientSecret())
              .clientAuthenticationMethod(
                  isPublic
                      ? ClientAuthenticationMethod.NONE
                      : ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
              .scope(Set.copyOf(properties.scopes()))
              .userNameAttributeName("sub")
              .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
              .build();
      failedAt = null;
      return registration;
    } catch (RuntimeException e) {
      failedAt = now;
      log.warn(
          "Cannot read the OpenID Connect provider's discovery document at {}: {} (retrying in {} s)",
          properties.issuerUri(),
          e.getMessage(),
          RETRY.toSeconds());
      return null;
    }
  }
}
