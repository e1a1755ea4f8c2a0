package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.security.signin.PortalClient;
import dev.berth.server.security.signin.TestDirectory;
import dev.berth.server.security.signin.TestIdentityProvider;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * People from an LDAP directory and an OpenID Connect provider on the whole Berth server: their
 * groups decide which teams' apps they see in the portal and through their own API tokens, their
 * team role decides what they may do, a group they leave is gone at their next sign-in, and each
 * sign-in is in the audit log. Directory (UnboundID, in memory) and provider (mock-oauth2-server)
 * run on 127.0.0.1; the apps have no instances, so no containers run. Teams {@code payments},
 * {@code web}, {@code search}; alice (LDAP, payments developer), bob (LDAP, web viewer), carol
 * (OIDC, payments viewer). The tests build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalSignInTeamsIT {
  private static final Pattern SECRET = Pattern.compile("id=\"token-secret\">(berth_[^<]+)<");
  private static final List<String> PAYMENTS_APPS = List.of("payments-api", "payments-worker");

  TestDirectory directory;
  TestIdentityProvider provider;
  LocalBerth fixture;
  BerthServer berth;
  PortalClient aliceBrowser;
  String aliceToken;

  @BeforeAll
  void start() throws Exception {
    directory =
        TestDirectory.create()
            .person("alice", "Alice Smith", "alice-ldap-password")
            .person("bob", "Bob Jones", "bob-ldap-password")
            .group("payments-devs", "alice")
            .group("web-readers", "bob")
            .start();
    provider = TestIdentityProvider.start();
    Map<String, String> settings = new LinkedHashMap<>(directory.settings());
    settings.put(
        "berth.security.ldap.group-mappings[0].group", TestDirectory.groupDn("payments-devs"));
    settings.put("berth.security.ldap.group-mappings[0].team", "payments");
    settings.put("berth.security.ldap.group-mappings[0].role", "developer");
    settings.put("berth.security.ldap.group-mappings[1].group", "web-readers");
    settings.put("berth.security.ldap.group-mappings[1].team", "web");
    settings.put("berth.security.ldap.group-mappings[1].role", "viewer");
    settings.putAll(provider.settings());
    settings.put("berth.security.oidc.group-mappings[0].group", "payments-readers");
    settings.put("berth.security.oidc.group-mappings[0].team", "payments");
    settings.put("berth.security.oidc.group-mappings[0].role", "viewer");
    settings.put("berth.security.oidc.group-mappings[1].group", "newcomers");
    settings.put("berth.security.oidc.group-mappings[1].team", "newcomers");
    settings.put("berth.security.oidc.group-mappings[1].role", "owner");
    fixture = LocalBerth.start(80, "sso", settings);
    berth = fixture.berth;
    for (String team : List.of("payments", "web", "search")) {
      ok(berth.call("POST", "/api/v1/teams", "{\"name\":\"" + team + "\"}"), 201);
    }
    for (String[] app :
        new String[][] {
          {"payments-api", "payments"},
          {"payments-worker", "payments"},
          {"web-front", "web"},
          {"search-index", "search"}
        }) {
      ok(
          berth.call(
              "POST",
              "/api/v1/apps",
              """
          {"name":"%s","team":"%s","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],"instances":0}"""
                  .formatted(app[0], app[1], fixture.image)),
          201);
    }
  }

  @AfterAll
  void stop() {
    try {
      LocalBerth.close(fixture);
    } finally {
      if (provider != null) {
        provider.close();
      }
      if (directory != null) {
        directory.close();
      }
    }
  }

  @Test
  @Order(1)
  void aDirectoryUserSeesOnlyTheirTeamsAppsInThePortalAndThroughTheTokenTheyCreateThere() {
    aliceBrowser = browser();
    HttpResponse<String> landed = aliceBrowser.signIn("alice", "alice-ldap-password");

    assertThat(landed.uri().getPath()).isEqualTo("/apps");
    assertThat(appsOnPage(landed.body())).containsExactlyElementsOf(PAYMENTS_APPS);
    assertThat(aliceBrowser.get("/apps/web-front").statusCode())
        .as("another team's app is as if missing")
        .isEqualTo(404);
    assertThat(aliceBrowser.get("/apps/search-index").statusCode()).isEqualTo(404);
    assertThat(aliceBrowser.get("/apps/payments-api").body())
        .as("a developer may scale and delete")
        .contains(">Scale<")
        .contains(">Delete<");

    HttpResponse<String> created =
        aliceBrowser.postForm("/users", "/users/me/tokens", Map.of("name", "laptop"));
    assertThat(created.statusCode()).isEqualTo(302);
    Matcher secret = SECRET.matcher(aliceBrowser.get("/users").body());
    assertThat(secret.find()).as("the users page shows the new token's secret once").isTrue();
    aliceToken = secret.group(1);
    assertThat(appNames(api("/api/v1/apps", aliceToken))).containsExactlyElementsOf(PAYMENTS_APPS);
    assertThat(berth.call("GET", "/api/v1/apps/web-front", null, aliceToken).statusCode())
        .isEqualTo(404);
  }

  @Test
  @Order(2)
  void aSecondDirectoryUserSeesOnlyTheOtherTeamAndOnlyAsAViewer() {
    PortalClient bob = browser();
    HttpResponse<String> landed = bob.signIn("bob", "bob-ldap-password");

    assertThat(appsOnPage(landed.body())).containsExactly("web-front");
    assertThat(bob.get("/apps/payments-api").statusCode()).isEqualTo(404);
    assertThat(bob.get("/apps/web-front").body())
        .doesNotContain(">Scale<")
        .doesNotContain(">Delete<");
  }

  @Test
  @Order(3)
  void anOidcUserSeesOnlyTheirTeamsAppsAndMayNotChangeThemAsAViewer() {
    PortalClient carol = browser();
    provider.enqueue("carol", List.of("payments-readers", "unrelated"));

    HttpResponse<String> landed = carol.follow("/signin?sso");

    URI authorize =
        carol.hops.stream()
            .map(r -> r.headers().firstValue("Location").map(URI::create).orElse(null))
            .filter(u -> u != null && u.getPort() == provider.port())
            .findFirst()
            .orElseThrow();
    assertThat(authorize.getQuery())
        .contains("code_challenge_method=S256")
        .contains("response_type=code");
    assertThat(landed.uri().getPath()).isEqualTo("/apps");
    assertThat(appsOnPage(landed.body())).containsExactlyElementsOf(PAYMENTS_APPS);
    assertThat(carol.get("/apps/search-index").statusCode()).isEqualTo(404);
    String detail = carol.get("/apps/payments-api").body();
    assertThat(detail)
        .contains("payments-api")
        .doesNotContain(">Scale<")
        .doesNotContain(">Delete<")
        .doesNotContain(">Modify<");

    HttpResponse<String> delete =
        carol.postForm(
            "/apps/payments-api", "/apps/payments-api/delete", Map.of("confirm", "payments-api"));
    HttpResponse<String> scale =
        carol.postForm("/apps/payments-api", "/apps/payments-api/scale", Map.of("instances", "1"));
    assertThat(delete.statusCode()).as("a forged delete").isEqualTo(403);
    assertThat(scale.statusCode()).as("a forged scale").isEqualTo(403);
    JsonNode app = api("/api/v1/apps/payments-api", BerthServer.TOKEN);
    assertThat(app.path("instances").asInt()).isZero();
    assertThat(app.path("status").path("phase").asText()).isNotEqualTo("Deleting");
  }

  @Test
  @Order(4)
  void aDirectoryUserWhoLeavesAGroupLosesItsTeamAtTheNextSignInButKeepsGrantsGivenInBerth() {
    ok(berth.call("PUT", "/api/v1/teams/search/members/alice", "{\"role\":\"viewer\"}"), 200);
    directory.removeMember("payments-devs", "alice");

    HttpResponse<String> landed = browser().signIn("alice", "alice-ldap-password");

    assertThat(landed.uri().getPath()).isEqualTo("/apps");
    assertThat(appsOnPage(landed.body())).containsExactly("search-index");
    assertThat(aliceBrowser.get("/apps/payments-api").statusCode())
        .as("also in her older session")
        .isEqualTo(404);
    assertThat(appNames(api("/api/v1/apps", aliceToken)))
        .as("and through her token")
        .containsExactly("search-index");
    JsonNode alice = find(api("/api/v1/users", BerthServer.TOKEN).path("items"), "alice");
    assertThat(alice.path("source").asText()).isEqualTo("ldap");
    assertThat(alice.path("teams").has("payments")).isFalse();
  }

  @Test
  @Order(5)
  void theAuditLogHasEachSignInThatChangedAUserWithItsSource() {
    List<String> lines = new ArrayList<>();
    api("/api/v1/audit?action=user.sign-in&size=50", BerthServer.TOKEN)
        .path("items")
        .forEach(
            e ->
                lines.add(
                    e.path("objectName").asText()
                        + " "
                        + e.path("actor").asText()
                        + " "
                        + e.path("via").asText()
                        + " "
                        + e.path("detail").asText()));

    assertThat(lines)
        .contains(
            "alice alice ldap updated from ldap",
            "carol carol oidc created from oidc",
            "bob bob ldap created from ldap",
            "alice alice ldap created from ldap");
  }

  @Test
  @Order(6)
  void aTeamNamedInAMappingThatDoesNotExistYetIsCreatedAtSignInWithThePersonInIt() {
    assertThat(berth.call("GET", "/api/v1/teams/newcomers", null).statusCode())
        .as("nobody created it")
        .isEqualTo(404);
    provider.enqueue("dave", List.of("newcomers"));

    HttpResponse<String> landed = browser().follow("/signin?sso");

    assertThat(landed.uri().getPath()).isEqualTo("/apps");
    ok(berth.call("GET", "/api/v1/teams/newcomers", null), 200);
    JsonNode dave = find(api("/api/v1/users", BerthServer.TOKEN).path("items"), "dave");
    assertThat(dave.path("teams").path("newcomers").asText()).isEqualTo("owner");
  }

  // --- helpers ---

  PortalClient browser() {
    return new PortalClient(berth.uri("/").getPort());
  }

  static List<String> appsOnPage(String html) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("data-app=\"([^\"]+)\"").matcher(html);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  JsonNode api(String path, String token) {
    HttpResponse<String> r = berth.call("GET", path, null, token);
    assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
    return BerthServer.json(r.body());
  }

  static List<String> appNames(JsonNode page) {
    List<String> names = new ArrayList<>();
    page.path("items").forEach(a -> names.add(a.path("name").asText()));
    return names;
  }

  static JsonNode find(JsonNode users, String name) {
    for (JsonNode u : users) {
      if (u.path("name").asText().equals(name)) {
        return u;
      }
    }
    throw new AssertionError("no user " + name + " in " + users);
  }

  static HttpResponse<String> ok(HttpResponse<String> r, int status) {
    assertThat(r.statusCode())
        .as(r.request().method() + " " + r.uri() + ": " + r.body())
        .isEqualTo(status);
    return r;
  }
}
