package dev.berth.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.runtime.RegistryUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns {@code WWW-Authenticate} challenges into {@code Authorization} headers: HTTP basic with the
 * registry's credentials, or a bearer token fetched from the challenge's realm (with basic
 * credentials when we have them) and cached per host and scope. Thread-safe.
 */
final class Authenticator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

  private final HttpClient http;
  private final Credentials credentials;
  private final TokenCache tokens;
  private final Duration requestTimeout;
  private final Set<String> basicHosts = ConcurrentHashMap.newKeySet();

  Authenticator(
      HttpClient http, Credentials credentials, InstantSource clock, Duration requestTimeout) {
    this.http = http;
    this.credentials = credentials;
    this.tokens = new TokenCache(clock);
    this.requestTimeout = requestTimeout;
  }

  /** An Authorization header known to work without a challenge round trip, if any. */
  Optional<String> cached(String registry, String apiHost, String scope) {
    if (basicHosts.contains(apiHost)) {
      return credentials.lookup(registry).map(Authenticator::basic);
    }
    return tokens.get(apiHost, scope).map(t -> "Bearer " + t);
  }

  /** Whether credentials are configured for the registry (to word errors). */
  boolean hasCredentials(String registry) {
    return credentials.lookup(registry).isPresent();
  }

  /**
   * Answers a challenge.
   *
   * @throws RegistryAuthenticationException no usable challenge, credentials needed but missing, or
   *     the token service rejected the credentials
   * @throws RegistryUnavailableException the token service is unreachable or failing
   */
  String answer(String registry, String apiHost, String scope, String challengeHeader) {
    AuthChallenge challenge =
        AuthChallenge.parse(challengeHeader)
            .orElseThrow(
                () ->
                    new RegistryAuthenticationException(
                        registry + " answered 401 without a WWW-Authenticate challenge"));
    Optional<Credentials.UsernamePassword> creds = credentials.lookup(registry);
    switch (challenge.scheme()) {
      case "basic" -> {
        Credentials.UsernamePassword up =
            creds.orElseThrow(
                () ->
                    new RegistryAuthenticationException(
                        registry + " requires credentials (basic auth) and none are configured"));
        basicHosts.add(apiHost);
        return basic(up);
      }
      case "bearer" -> {
        String token = fetchToken(registry, challenge, scope, creds);
        return "Bearer " + token;
      }
      default ->
          throw new RegistryAuthenticationException(
              registry + " asks for unsupported auth scheme '" + challenge.scheme() + "'");
    }
  }

  /** Forgets what was cached for this host and scope (after a rejection). */
  void invalidate(String apiHost, String scope) {
    tokens.invalidate(apiHost, scope);
  }

  private String fetchToken(
      String registry,
      AuthChallenge challenge,
      String scope,
      Optional<Credentials.UsernamePassword> creds) {
    String realm = challenge.param("realm");
    if (realm.isEmpty()) {
      throw new RegistryAuthenticationException(
          registry + " sent a Bearer challenge without realm");
    }
    String tokenScope = challenge.param("scope").isEmpty() ? scope : challenge.param("scope");
    StringBuilder query = new StringBuilder();
    if (!challenge.param("service").isEmpty()) {
      query.append("service=").append(enc(challenge.param("service")));
    }
    for (String s : tokenScope.split(" ")) {
      if (!s.isBlank()) {
        query.append(query.isEmpty() ? "" : "&").append("scope=").append(enc(s));
      }
    }
    URI uri;
    try {
      uri = URI.create(realm + (query.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + query));
    } catch (IllegalArgumentException e) {
      throw new RegistryAuthenticationException(
          registry + " sent a malformed realm '" + realm + "'");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
    if ("http".equals(uri.getScheme())) {
      request.version(HttpClient.Version.HTTP_1_1);
    }
    creds.ifPresent(up -> request.header("Authorization", basic(up)));
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new RegistryUnavailableException(
          "token service " + uri.getHost() + " of " + registry + " is unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException(
          "interrupted while fetching a token from " + registry, e);
    }
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new RegistryAuthenticationException(
          creds.isPresent()
              ? "credentials rejected by " + registry + " (token service " + uri.getHost() + ")"
              : registry + " requires credentials and none are configured");
    }
    if (status >= 500 || status == 429) {
      throw new RegistryUnavailableException(
          "token service of " + registry + " answered " + status, null);
    }
    if (status != 200) {
      throw new RegistryAuthenticationException(
          "token service of "
              + registry
              + " refused a token: "
              + RegistryErrors.explain(
                  status, new String(response.body(), StandardCharsets.UTF_8)));
    }
    try {
      JsonNode json = JSON.readTree(response.body());
      String token = json.path("token").asText("");
      if (token.isEmpty()) {
        token = json.path("access_token").asText("");
      }
      if (token.isEmpty()) {
        throw new RegistryAuthenticationException(
            "token service of " + registry + " sent no token");
      }
      long expiresIn = json.path("expires_in").asLong(0);
      Duration lifetime = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_TOKEN_LIFETIME;
      tokens.put(hostOf(registry), scope, token, lifetime);
      return token;
    } catch (IOException e) {
      throw new RegistryAuthenticationException(
          "token service of " + registry + " sent invalid JSON: " + e.getMessage());
    }
  }

  private static String hostOf(String registry) {
    return RegistryClient.apiHostOf(registry);
  }

  static String basic(Credentials.UsernamePassword up) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((up.username() + ":" + up.password()).getBytes(StandardCharsets.UTF_8));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
