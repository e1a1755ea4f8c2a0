package dev.berth.server.security.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.testing.MutableClock;
import dev.berth.testapp.SignInTestApp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Local accounts on the portal over real HTTP: session cookie attributes, a new session id on
 * sign-in, lock-out per user name and per client address (client addresses come from {@code
 * X-Forwarded-For}, which Berth trusts from a loopback proxy with {@code
 * server.forward-headers-strategy=native}), API token guessing answered with 429, and an OpenID
 * Connect provider that cannot be reached.
 */
@SpringBootTest(
    classes = SignInTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SignInIT {
  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry r) {
    SignInTestApp.baseSettings(r, "signin");
    r.add("berth.security.signin.max-failures", () -> "3");
    r.add("berth.security.signin.max-failures-per-address", () -> "6");
    r.add("berth.security.signin.max-token-failures", () -> "4");
    r.add("server.forward-headers-strategy", () -> "native");
    r.add("berth.security.oidc.issuer-uri", () -> "http://127.0.0.1:9/nowhere");
    r.add("berth.security.oidc.client-id", () -> "berth");
    r.add("berth.security.oidc.provider-name", () -> "Corp SSO");
  }

  @LocalServerPort int port;
  @Autowired MutableClock clock;
  @Autowired ObjectMapper mapper;

  @BeforeEach
  void letEarlierFailuresAgeOut() {
    clock.advance(Duration.ofHours(1));
  }

  @Test
  void marksTheSessionCookieHttpOnlyAndSameSiteLaxButNotSecureOnPlainHttp() {
    String cookie =
        new PortalClient(port).get("/signin").headers().firstValue("Set-Cookie").orElseThrow();

    assertThat(cookie)
        .startsWith("JSESSIONID=")
        .contains("; HttpOnly")
        .contains("; SameSite=Lax")
        .doesNotContain("Secure");
  }

  @Test
  void marksTheSessionCookieSecureBehindAProxyThatSaysHttps() {
    String cookie =
        new PortalClient(port)
            .get("/signin", "X-Forwarded-Proto", "https")
            .headers()
            .firstValue("Set-Cookie")
            .orElseThrow();

    assertThat(cookie).contains("; Secure").contains("; HttpOnly").contains("; SameSite=Lax");
  }

  @Test
  void givesTheSessionANewIdOnSignIn() {
    PortalClient browser = new PortalClient(port);
    String before = browser.get("/signin").headers().firstValue("Set-Cookie").orElseThrow();

    HttpResponse<String> posted = browser.postSignIn("admin", SignInTestApp.ADMIN_PASSWORD);

    assertThat(posted.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/apps"));
    String after = posted.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(after).startsWith("JSESSIONID=").isNotEqualTo(before);
    assertThat(browser.get("/apps").body()).isEqualTo("name=admin role=admin");
  }

  @Test
  void locksAUserNameOutWithTheSameAnswerWhetherOrNotTheUserExists() {
    PortalClient browser = new PortalClient(port);
    for (int i = 0; i < 3; i++) {
      browser.signIn("admin", "wrong-password-" + i, "X-Forwarded-For", "192.0.2.10");
      browser.signIn("nobody-here", "wrong-password-" + i, "X-Forwarded-For", "192.0.2.11");
    }

    HttpResponse<String> existing =
        browser.signIn("admin", SignInTestApp.ADMIN_PASSWORD, "X-Forwarded-For", "192.0.2.12");
    HttpResponse<String> unknown =
        browser.signIn("Nobody-Here", "wrong-password-x", "X-Forwarded-For", "192.0.2.13");

    assertThat(existing.uri().toString()).endsWith("/signin?locked");
    assertThat(unknown.uri().toString()).endsWith("/signin?locked");
    assertThat(withoutCsrf(existing.body()))
        .isEqualTo(withoutCsrf(unknown.body()))
        .contains(
            "Too many failed sign-ins for this user name or from this address. Sign-in is paused for 15 minutes");
  }

  @Test
  void resetsTheCountOnSuccessAndLiftsTheLockWhenItsTimeIsUp() {
    signIn("admin", "wrong-1");
    signIn("admin", "wrong-2");
    assertThat(signIn("admin", SignInTestApp.ADMIN_PASSWORD).body())
        .isEqualTo("name=admin role=admin");
    signIn("admin", "wrong-3");
    assertThat(signIn("admin", "wrong-4").uri().toString()).endsWith("/signin?error");
    assertThat(signIn("admin", "wrong-5").uri().toString()).endsWith("/signin?locked");

    clock.advance(Duration.ofMinutes(14));
    assertThat(signIn("admin", SignInTestApp.ADMIN_PASSWORD).uri().toString())
        .endsWith("/signin?locked");
    clock.advance(Duration.ofMinutes(1));
    assertThat(signIn("admin", SignInTestApp.ADMIN_PASSWORD).body())
        .isEqualTo("name=admin role=admin");
  }

  @Test
  void locksAnAddressThatTriesManyNames() {
    PortalClient browser = new PortalClient(port);
    for (int i = 0; i < 6; i++) {
      browser.signIn("guess-" + i, "wrong-password", "X-Forwarded-For", "192.0.2.50");
    }

    HttpResponse<String> fromThere =
        browser.signIn("admin", SignInTestApp.ADMIN_PASSWORD, "X-Forwarded-For", "192.0.2.50");
    HttpResponse<String> fromElsewhere =
        browser.signIn("admin", SignInTestApp.ADMIN_PASSWORD, "X-Forwarded-For", "192.0.2.51");

    assertThat(fromThere.uri().toString()).endsWith("/signin?locked");
    assertThat(fromElsewhere.body()).isEqualTo("name=admin role=admin");
  }

  @Test
  void answersApiTokenGuessingWith429ProblemsPerAddress() throws Exception {
    PortalClient client = new PortalClient(port);
    String[] guesser = {"X-Forwarded-For", "192.0.2.70", "Accept", "application/json"};
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r =
          client.get("/api/v1/apps", with(guesser, "Authorization", "Bearer berth_guess-" + i));
      assertThat(r.statusCode()).isEqualTo(401);
    }

    HttpResponse<String> fourth =
        client.get("/api/v1/apps", with(guesser, "Authorization", "Bearer berth_guess-4"));
    HttpResponse<String> valid =
        client.get("/apps", with(guesser, "Authorization", "Bearer " + SignInTestApp.ADMIN_TOKEN));

    for (HttpResponse<String> r : java.util.List.of(fourth, valid)) {
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
      assertThat(r.headers().firstValue("Retry-After")).contains("900");
      assertThat(mapper.readValue(r.body(), new TypeReference<Map<String, Object>>() {}))
          .containsEntry("status", 429)
          .containsEntry("title", "Too Many Requests");
    }
    assertThat(
            client
                .get(
                    "/apps",
                    "X-Forwarded-For",
                    "192.0.2.71",
                    "Authorization",
                    "Bearer " + SignInTestApp.ADMIN_TOKEN)
                .body())
        .isEqualTo("name=admin role=admin");
    clock.advance(Duration.ofMinutes(15));
    assertThat(
            client
                .get("/apps", with(guesser, "Authorization", "Bearer " + SignInTestApp.ADMIN_TOKEN))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void offersTheProviderButSaysSoWhenItCannotBeReached() {
    PortalClient browser = new PortalClient(port);
    assertThat(browser.get("/signin").body()).contains("Sign in with Corp SSO");

    HttpResponse<String> page = browser.follow("/signin?sso");

    assertThat(page.uri().toString()).endsWith("/signin?sso-unavailable");
    assertThat(page.body()).contains("The identity provider cannot be reached right now");
  }

  /**
   * Signs in from a browser of its own (one that is signed in already is sent on from the form).
   */
  private HttpResponse<String> signIn(String user, String password) {
    return new PortalClient(port).signIn(user, password);
  }

  private static String withoutCsrf(String page) {
    return page.replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "name=\"_csrf\"");
  }

  private static String[] with(String[] headers, String name, String value) {
    String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = name;
    all[headers.length + 1] = value;
    return all;
  }
}
