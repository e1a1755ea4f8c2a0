package dev.berth.server.security.oidc;

import dev.berth.server.security.signin.GroupMapping;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sign-in with one OpenID Connect provider such as dex ({@code berth.security.oidc.*}); on when
 * {@code issuer-uri} is set. Register {@code <berth's URL>/login/oauth2/code/oidc} as the client's
 * redirect URI at the provider.
 *
 * @param issuerUri the provider's issuer, e.g. {@code https://dex.example.org/dex}; its discovery
 *     document is read on the first sign-in, not at start
 * @param clientId the client id registered at the provider
 * @param clientSecret its secret; empty for a public client (PKCE is used either way)
 * @param providerName shown on the sign-in button: "Sign in with dex"
 * @param scopes scopes to ask for; dex needs {@code groups} for the groups claim
 * @param usernameClaim the claim that becomes the Berth user name (made DNS-safe), e.g. {@code
 *     preferred_username}, {@code email} or {@code sub}
 * @param groupsClaim the claim with the person's groups
 * @param groupMappings group → team and role
 * @param adminGroups groups whose members are Berth admins
 */
@ConfigurationProperties("berth.security.oidc")
public record OidcProperties(
    String issuerUri,
    String clientId,
    String clientSecret,
    @DefaultValue("OpenID Connect") String providerName,
    @DefaultValue({"openid", "profile", "email"}) List<String> scopes,
    @DefaultValue("preferred_username") String usernameClaim,
    @DefaultValue("groups") String groupsClaim,
    @DefaultValue List<GroupMapping> groupMappings,
    @DefaultValue List<String> adminGroups) {

  public boolean enabled() {
    return issuerUri != null && !issuerUri.isBlank();
  }

  @Override
  public String toString() {
    return "OidcProperties[issuerUri="
        + issuerUri
        + ", clientId="
        + clientId
        + ", clientSecret=***]";
  }
}
