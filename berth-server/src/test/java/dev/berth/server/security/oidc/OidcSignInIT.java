package dev.berth.server.security.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import dev.berth.server.security.signin.PortalClient;
import dev.berth.server.security.signin.TestIdentityProvider;
import dev.berth.testapp.SignInTestApp;
import dev.berth.testapp.SignInTestApp.RecordingExternalSignIn;
import dev.berth.testapp.SignInTestApp.RecordingExternalSignIn.Call;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Portal sign-in through a real OpenID Connect provider (mock-oauth2-server on 127.0.0.1): the
 * authorization-code flow with PKCE driven hop by hop as a browser would, claims mapped to a
 * DNS-safe user name and team grants, sign-out, and an identity without the user name claim.
 */
@SpringBootTest(
    classes = SignInTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OidcSignInIT {
  static final String ISSUER = TestIdentityProvider.ISSUER;
  static final String CLIENT_ID = TestIdentityProvider.CLIENT_ID;
  static final TestIdentityProvider provider = TestIdentityProvider.start();

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry r) {
    SignInTestApp.baseSettings(r, "oidc");
    provider.settings().forEach((key, value) -> r.add(key, () -> value));
    r.add("berth.security.oidc.group-mappings[0].group", () -> "payments-devs");
    r.add("berth.security.oidc.group-mappings[0].team", () -> "payments");
    r.add("berth.security.oidc.group-mappings[0].role", () -> "owner");
    r.add("berth.security.oidc.admin-groups[0]", () -> "platform-admins");
  }

  @LocalServerPort int port;
  @Autowired RecordingExternalSignIn external;

  @AfterAll
  static void stopProvider() {
    provider.close();
  }

  @Test
  void showsASignInButtonNamedAfterTheProvider() {
    HttpResponse<String> page = new PortalClient(port).get("/signin");

    assertThat(page.body()).contains("Sign in with dex").contains("href=\"/signin?sso=\"");
  }

  @Test
  void signsInThroughTheAuthorizationCodeFlowWithPkceAndMapsTheClaims() {
    PortalClient browser = new PortalClient(port);
    String before = browser.get("/signin").headers().firstValue("Set-Cookie").orElseThrow();
    provider.enqueue("Olivia.Lane@Example.org", List.of("payments-devs", "unrelated"));

    HttpResponse<String> landed = browser.follow("/signin?sso");

    URI authorize =
        browser.hops.stream()
            .map(r -> r.headers().firstValue("Location").map(URI::create).orElse(null))
            .filter(u -> u != null && u.getPort() == provider.port())
            .findFirst()
            .orElseThrow();
    assertThat(authorize.getQuery())
        .contains("code_challenge=")
        .contains("code_challenge_method=S256")
        .contains("response_type=code")
        .contains("client_id=" + CLIENT_ID);
    assertThat(landed.uri().getPath()).isEqualTo("/apps");
    assertThat(landed.body()).isEqualTo("name=olivia-lane-example-org role=member");
    assertThat(external.last())
        .isEqualTo(
            new Call(
                "oidc",
                "olivia-lane-example-org",
                false,
                List.of(new TeamGrant("payments", TeamRole.OWNER))));
    assertThat(browser.sessionId()).hasValueSatisfying(id -> assertThat(before).doesNotContain(id));
  }

  @Test
  void makesMembersOfAnAdminGroupAdmins() {
    PortalClient browser = new PortalClient(port);
    provider.enqueue("ops-lead", List.of("platform-admins"));

    HttpResponse<String> landed = browser.follow("/signin?sso");

    assertThat(landed.body()).isEqualTo("name=ops-lead role=admin");
  }

  @Test
  void endsTheBerthSessionOnSignOut() {
    PortalClient browser = new PortalClient(port);
    provider.enqueue("sam", List.of());
    assertThat(browser.follow("/signin?sso").body()).isEqualTo("name=sam role=member");

    HttpResponse<String> out = browser.signOut();

    assertThat(out.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/signin?signedout"));
    HttpResponse<String> after = browser.get("/apps");
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(after.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/signin"));
  }

  @Test
  void goesBackToTheSignInPageWhenTheProviderSendsNoUserName() {
    PortalClient browser = new PortalClient(port);
    provider.server.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            ISSUER,
            "subject-without-name",
            "JWT",
            List.of(CLIENT_ID),
            Map.of("groups", List.of("payments-devs")),
            3600));
    int calls = external.calls.size();

    HttpResponse<String> page = browser.follow("/signin?sso");

    assertThat(page.uri().toString()).endsWith("/signin?sso-failed");
    assertThat(page.body())
        .contains("Signing in with the identity provider did not work")
        .doesNotContain("Exception");
    assertThat(external.calls).hasSize(calls);
  }
}
