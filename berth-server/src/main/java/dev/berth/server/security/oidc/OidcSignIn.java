package dev.berth.server.security.oidc;

import dev.berth.server.access.User;
import dev.berth.server.access.UserAuthentication;
import dev.berth.server.security.signin.ExternalNames;
import dev.berth.server.security.signin.GrantMapper;
import dev.berth.server.user.ExternalSignIn;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * OpenID Connect sign-in on the portal: Spring Security's {@code oauth2Login} (authorization-code
 * flow with PKCE, ID token checked against the provider's keys) with the one {@link
 * OidcRegistration}. The claims are mapped to a Berth user name ({@code username-claim}, made
 * DNS-safe) and team grants ({@code groups-claim}, {@link GrantMapper}) and recorded through {@link
 * ExternalSignIn}; from then on the session holds that Berth user like any other, so sign-out ends
 * it the same way.
 */
public final class OidcSignIn {
  static final String SOURCE = "oidc";

  private final OidcProperties properties;
  private final OidcRegistration registration;
  private final ExternalSignIn signIn;
  private final GrantMapper mapper;

  public OidcSignIn(
      OidcProperties properties, OidcRegistration registration, ExternalSignIn signIn) {
    this.properties = properties;
    this.registration = registration;
    this.signIn = signIn;
    this.mapper =
        new GrantMapper(
            "berth.security.oidc", properties.groupMappings(), properties.adminGroups());
  }

  public String providerName() {
    return properties.providerName();
  }

  /** Whether the provider's discovery document could be read (now or before). */
  public boolean reachable() {
    return registration.findByRegistrationId(OidcRegistration.ID) != null;
  }

  /** The path that starts the flow. */
  public static String startPath() {
    return OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI
        + "/"
        + OidcRegistration.ID;
  }

  /** Adds {@code oauth2Login} to the portal's chain. */
  public void configure(
      HttpSecurity http,
      String signInPage,
      String defaultTarget,
      AuthenticationFailureHandler failure)
      throws Exception {
    var resolver =
        new DefaultOAuth2AuthorizationRequestResolver(
            registration,
            OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
    resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
    var users =
        new OidcUserService() {
          @Override
          public OidcUser loadUser(OidcUserRequest request) {
            OidcUser oidc = super.loadUser(request);
            return new BerthOidcUser(berthUser(oidc.getClaims()), oidc);
          }
        };
    http.oauth2Login(
        o ->
            o.loginPage(signInPage)
                .clientRegistrationRepository(registration)
                .authorizedClientRepository(new HttpSessionOAuth2AuthorizedClientRepository())
                .authorizationEndpoint(a -> a.authorizationRequestResolver(resolver))
                .userInfoEndpoint(u -> u.oidcUserService(users))
                .successHandler(new Success(defaultTarget))
                .failureHandler(failure));
  }

  /** The Berth user for these claims, recorded through {@link ExternalSignIn}. */
  User berthUser(Map<String, Object> claims) {
    Object raw = claims.get(properties.usernameClaim());
    String name =
        ExternalNames.of(raw == null ? null : raw.toString())
            .orElseThrow(
                () ->
                    new OAuth2AuthenticationException(
                        new OAuth2Error(
                            "invalid_user_name",
                            "the provider sent no usable '"
                                + properties.usernameClaim()
                                + "' claim: set berth.security.oidc.username-claim to one it sends (preferred_username, email or sub)",
                            null)));
    GrantMapper.Grants grants = mapper.map(groups(claims.get(properties.groupsClaim())));
    return signIn.signIn(SOURCE, name, grants.admin(), grants.grants());
  }

  private static Collection<String> groups(Object claim) {
    if (claim instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).toList();
    }
    if (claim instanceof String s && !s.isBlank()) {
      return List.of(s.split("\\s*,\\s*"));
    }
    return List.of();
  }

  /** Puts the Berth user into the session in place of the OpenID Connect token, then goes on. */
  private static final class Success implements AuthenticationSuccessHandler {
    private final SecurityContextHolderStrategy contexts =
        SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository repository =
        new DelegatingSecurityContextRepository(
            new RequestAttributeSecurityContextRepository(),
            new HttpSessionSecurityContextRepository());
    private final SavedRequestAwareAuthenticationSuccessHandler next =
        new SavedRequestAwareAuthenticationSuccessHandler();

    Success(String defaultTarget) {
      next.setDefaultTargetUrl(defaultTarget);
    }

    @Override
    public void onAuthenticationSuccess(
        HttpServletRequest request, HttpServletResponse response, Authentication authentication)
        throws IOException, ServletException {
      if (authentication.getPrincipal() instanceof BerthOidcUser oidc) {
        SecurityContext context = contexts.createEmptyContext();
        UserAuthentication user = new UserAuthentication(oidc.user());
        context.setAuthentication(user);
        contexts.setContext(context);
        repository.saveContext(context, request, response);
        authentication = user;
      }
      next.onAuthenticationSuccess(request, response, authentication);
    }
  }
}
