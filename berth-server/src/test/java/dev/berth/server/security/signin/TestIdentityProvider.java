package dev.berth.server.security.signin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OpenID Connect provider for sign-in tests: mock-oauth2-server on 127.0.0.1 with issuer
 * {@code dex} and client {@code berth}. Each sign-in takes the next {@link #enqueue queued}
 * identity; without one the provider makes up a subject.
 */
public final class TestIdentityProvider implements AutoCloseable {
  public static final String ISSUER = "dex";
  public static final String CLIENT_ID = "berth";

  /** The provider itself, for tests that look at its URLs or queue their own token callbacks. */
  public final MockOAuth2Server server;

  private TestIdentityProvider(MockOAuth2Server server) {
    this.server = server;
  }

  public static TestIdentityProvider start() {
    try {
      MockOAuth2Server server = new MockOAuth2Server();
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      return new TestIdentityProvider(server);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An identity with {@code preferred_username} and a {@code groups} claim, for this client. */
  public static DefaultOAuth2TokenCallback identity(String preferredUsername, List<String> groups) {
    return new DefaultOAuth2TokenCallback(
        ISSUER,
        UUID.randomUUID().toString(),
        "JWT",
        List.of(CLIENT_ID),
        Map.of("preferred_username", preferredUsername, "groups", groups),
        3600);
  }

  /** The next sign-in is {@code preferredUsername} in {@code groups}. */
  public void enqueue(String preferredUsername, List<String> groups) {
    server.enqueueCallback(identity(preferredUsername, groups));
  }

  public int port() {
    return server.issuerUrl(ISSUER).port();
  }

  /** Berth's {@code berth.security.oidc.*} settings for this provider (no group mappings). */
  public Map<String, String> settings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("berth.security.oidc.issuer-uri", server.issuerUrl(ISSUER).toString());
    s.put("berth.security.oidc.client-id", CLIENT_ID);
    s.put("berth.security.oidc.client-secret", "berth-oidc-client-secret");
    s.put("berth.security.oidc.provider-name", "dex");
    s.put("berth.security.oidc.scopes", "openid,profile,email,groups");
    return s;
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
