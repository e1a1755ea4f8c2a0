package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import dev.berth.server.user.ExternalSignIn;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Teams seen from their members, scoped API tokens, red lines and the audit log, against a real
 * Berth: team {@code red} (user {@code rita}, developer) and team {@code blue} (user {@code bill},
 * developer) each have an app and a task.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TeamsAndTokensIT {
  LocalBerth fixture;
  BerthServer berth;
  String rita;
  String bill;

  @BeforeAll
  void start() throws Exception {
    fixture = LocalBerth.start(31, "teams", Map.of());
    berth = fixture.berth;
    for (String team : List.of("red", "blue")) {
      ok(berth.call("POST", "/api/v1/teams", "{\"name\":\"" + team + "\"}"), 201);
    }
    rita = member("rita", "red", "developer");
    bill = member("bill", "blue", "developer");
    for (String team : List.of("red", "blue")) {
      ok(berth.call("POST", "/api/v1/apps", app(team + "-web", team, 0)), 201);
      ok(
          berth.call(
              "POST",
              "/api/v1/tasks",
              """
          {"name":"%s-job","team":"%s","image":"%s","command":["true"],"timeoutSeconds":30}"""
                  .formatted(team, team, fixture.image)),
          202);
    }
  }

  @AfterAll
  void stop() {
    LocalBerth.close(fixture);
  }

  @Test
  void aUserSeesOnlyTheirTeamsAppsTasksRunsAndEventsInTheApiAndThePortal() {
    assertThat(names(get("/api/v1/apps", rita).path("items"), "name")).containsExactly("red-web");
    assertThat(names(get("/api/v1/tasks", rita).path("items"), "name")).containsExactly("red-job");
    assertThat(names(get("/api/v1/runs", rita).path("items"), "task"))
        .containsOnly("red-job")
        .isNotEmpty();
    List<String> objects = names(get("/api/v1/events?limit=1000", rita).path("items"), "app");
    assertThat(objects).contains("red-web", "red-job").doesNotContain("blue-web", "blue-job");
    assertThat(names(get("/api/v1/teams", rita).path("items"), "name")).containsExactly("red");
    assertThat(berth.call("GET", "/api/v1/apps/blue-web", null, rita).statusCode()).isEqualTo(404);
    assertThat(berth.call("GET", "/api/v1/runs?task=blue-job", null, rita).statusCode())
        .isEqualTo(404);

    String page = html("/apps", rita);
    assertThat(page).contains("data-app=\"red-web\"").doesNotContain("blue-web");
    assertThat(html("/tasks", rita)).contains("red-job").doesNotContain("blue-job");
    assertThat(names(get("/api/v1/apps", BerthServer.TOKEN).path("items"), "name"))
        .as("admins see every team")
        .contains("red-web", "blue-web");
  }

  @Test
  void anIdentityProvidersGrantsDecideWhatItsUserSeesAndAreReplacedAtTheNextSignIn() {
    ExternalSignIn signIn = berth.bean(ExternalSignIn.class);
    signIn.signIn("ldap", "lena", false, List.of(new TeamGrant("blue", TeamRole.VIEWER)));
    String lena = token("lena", "{\"name\":\"t\"}");
    assertThat(names(get("/api/v1/apps", lena).path("items"), "name")).containsExactly("blue-web");
    assertThat(
            berth
                .call("POST", "/api/v1/apps/blue-web/scale", "{\"instances\":0}", lena)
                .statusCode())
        .isEqualTo(403);

    signIn.signIn("ldap", "lena", false, List.of(new TeamGrant("red", TeamRole.OPERATOR)));
    assertThat(names(get("/api/v1/apps", lena).path("items"), "name")).containsExactly("red-web");
    JsonNode user = find(get("/api/v1/users", BerthServer.TOKEN).path("items"), "name", "lena");
    assertThat(user.path("source").asText()).isEqualTo("ldap");
    assertThat(user.path("teams").path("red").asText()).isEqualTo("operator");
    assertThat(audit("actor=lena&action=user.sign-in&object=lena"))
        .as("provisioning is audited, by the user")
        .hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aScopedTokenMayDoLessThanItsUserAndNeverMore() {
    String readOnly =
        token(
            "rita", "{\"name\":\"ro\",\"scopes\":[{\"team\":\"red\",\"role\":\"viewer\"}]}", rita);
    assertThat(get("/api/v1/apps/red-web", readOnly).path("name").asText()).isEqualTo("red-web");
    HttpResponse<String> refused =
        berth.call("POST", "/api/v1/apps/red-web/scale", "{\"instances\":0}", readOnly);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(BerthServer.json(refused.body()).path("permission").asText()).isEqualTo("app.scale");
    assertThat(refused.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");

    HttpResponse<String> tooMuch =
        berth.call(
            "POST",
            "/api/v1/users/rita/tokens",
            "{\"name\":\"big\",\"scopes\":[{\"team\":\"red\",\"role\":\"owner\"},{\"team\":\"blue\",\"role\":\"viewer\"}]}",
            rita);
    assertThat(tooMuch.statusCode()).isEqualTo(400);
    assertThat(fields(tooMuch)).containsExactly("scopes[0].role", "scopes[1].team");
    HttpResponse<String> widened =
        berth.call("POST", "/api/v1/users/rita/tokens", "{\"name\":\"wide\"}", readOnly);
    assertThat(widened.statusCode())
        .as("a token made with a scoped token keeps its scope")
        .isEqualTo(201);
    assertThat(BerthServer.json(widened.body()).path("scopes").get(0).path("role").asText())
        .isEqualTo("viewer");
    HttpResponse<String> admin =
        berth.call("POST", "/api/v1/users/rita/tokens", "{\"name\":\"adm\",\"admin\":true}", rita);
    assertThat(fields(admin)).containsExactly("admin");
  }

  @Test
  void aTokenFollowsItsUsersRoleAndStopsAtExpiryOrRevocation() {
    member("dora", "red", "developer");
    String dora = token("dora", "{\"name\":\"full\"}");
    assertThat(
            berth
                .call("POST", "/api/v1/apps/red-web/scale", "{\"instances\":0}", dora)
                .statusCode())
        .isEqualTo(200);
    ok(berth.call("PUT", "/api/v1/teams/red/members/dora", "{\"role\":\"viewer\"}"), 200);
    assertThat(
            berth
                .call("POST", "/api/v1/apps/red-web/scale", "{\"instances\":0}", dora)
                .statusCode())
        .as("demoted at once")
        .isEqualTo(403);
    ok(berth.call("DELETE", "/api/v1/teams/red/members/dora", null), 204);
    assertThat(berth.call("GET", "/api/v1/apps/red-web", null, dora).statusCode())
        .as("gone from the team")
        .isEqualTo(404);

    JsonNode issued =
        BerthServer.json(
            ok(
                    berth.call(
                        "POST",
                        "/api/v1/users/dora/tokens",
                        "{\"name\":\"short\",\"expiresIn\":\"PT1S\"}"),
                    201)
                .body());
    assertThat(issued.path("secret").asText()).startsWith("berth_");
    assertThat(get("/api/v1/users/dora/tokens", BerthServer.TOKEN).path("items").toString())
        .as("the secret is shown once")
        .doesNotContain(issued.path("secret").asText())
        .doesNotContain("\"secret\"");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                berth.call("GET", "/api/v1/apps", null, issued.path("secret").asText()).statusCode()
                    == 401);

    JsonNode revoked =
        BerthServer.json(
            ok(berth.call("POST", "/api/v1/users/dora/tokens", "{\"name\":\"gone\"}"), 201).body());
    assertThat(
            berth.call("GET", "/api/v1/apps", null, revoked.path("secret").asText()).statusCode())
        .isEqualTo(200);
    ok(berth.call("DELETE", "/api/v1/users/dora/tokens/" + revoked.path("id").asText(), null), 204);
    assertThat(
            berth.call("GET", "/api/v1/apps", null, revoked.path("secret").asText()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void anOperatorReleasesANewImageButChangesNothingElseInTheSpec() throws Exception {
    String image2 =
        dev.berth.oci.testing.TestImages.pushBusybox(
            fixture.registry.host() + "/demo/busybox:2", "release two");
    String otto = member("otto", "red", "operator");
    ok(berth.call("POST", "/api/v1/apps", app("shop", "red", 0), rita), 201);

    HttpResponse<String> edit =
        berth.patch("/api/v1/apps/shop", "{\"env\":{\"MODE\":\"z\"}}", otto);
    assertThat(edit.statusCode()).isEqualTo(403);
    assertThat(BerthServer.json(edit.body()).path("permission").asText())
        .isEqualTo("app.update-spec");
    HttpResponse<String> release =
        berth.patch("/api/v1/apps/shop", "{\"image\":\"" + image2 + "\"}", otto);
    assertThat(release.statusCode()).as(release.body()).isEqualTo(200);
    JsonNode released = BerthServer.json(release.body());
    assertThat(released.path("revision").asLong()).isEqualTo(2);
    assertThat(released.path("image").asText()).isEqualTo(image2);
    assertThat(released.path("env").path("MODE").asText())
        .as("a PATCH keeps what it does not name")
        .isEqualTo("x");
    assertThat(released.path("command").toString())
        .isEqualTo("[\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]");
    assertThat(audit("actor=otto&object=app/shop"))
        .extracting(e -> e.path("action").asText() + " " + e.path("result").asText())
        .containsExactly("app.release ok", "app.update-spec denied");
    assertThat(berth.call("DELETE", "/api/v1/apps/shop?confirm=shop", null, otto).statusCode())
        .isEqualTo(403);
  }

  @Test
  void deletingAnAppOrAClusterNeedsItsNameTypedBack() {
    ok(berth.call("POST", "/api/v1/apps", app("doomed", "red", 0), rita), 201);
    for (String path :
        List.of(
            "/api/v1/apps/doomed", "/api/v1/apps/doomed?confirm=doome", "/api/v1/clusters/local")) {
      HttpResponse<String> r = berth.call("DELETE", path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(428);
      assertThat(fields(r)).containsExactly("confirm");
      assertThat(r.body()).contains("confirm=" + (path.contains("clusters") ? "local" : "doomed"));
    }
    assertThat(get("/api/v1/apps/doomed", rita).path("status").path("phase").asText())
        .as("nothing happened")
        .isNotEqualTo("Deleting")
        .isNotEmpty();
    assertThat(audit("object=app/doomed&action=app.delete"))
        .as("a refused red line changes nothing and records nothing")
        .isEmpty();
    assertThat(berth.call("DELETE", "/api/v1/apps/doomed?confirm=doomed", null, rita).statusCode())
        .isEqualTo(202);
  }

  @Test
  void scalingAProductionAppToZeroNeedsItsNameTypedBack() {
    ok(berth.call("POST", "/api/v1/teams", "{\"name\":\"prod\",\"production\":true}"), 201);
    ok(berth.call("POST", "/api/v1/apps", app("checkout", "prod", 0), BerthServer.TOKEN), 201);
    ok(berth.call("POST", "/api/v1/apps/checkout/scale", "{\"instances\":1}"), 200);
    HttpResponse<String> r = berth.call("POST", "/api/v1/apps/checkout/scale", "{\"instances\":0}");
    assertThat(r.statusCode()).isEqualTo(428);
    assertThat(fields(r)).containsExactly("confirm");
    assertThat(get("/api/v1/apps/checkout", BerthServer.TOKEN).path("instances").asInt())
        .isEqualTo(1);
    ok(
        berth.call("POST", "/api/v1/apps/checkout/scale?confirm=checkout", "{\"instances\":0}"),
        200);

    ok(berth.call("PATCH", "/api/v1/clusters/local", "{\"production\":true}"), 200);
    try {
      ok(berth.call("POST", "/api/v1/apps/red-web/scale", "{\"instances\":1}", rita), 200);
      HttpResponse<String> toZero = berth.patch("/api/v1/apps/red-web", "{\"instances\":0}", rita);
      assertThat(toZero.statusCode()).as("a production cluster").isEqualTo(428);
      assertThat(fields(toZero)).containsExactly("confirm");
      assertThat(
              berth
                  .call(
                      "POST",
                      "/api/v1/apps/red-web/scale",
                      "{\"instances\":0,\"confirm\":\"red-web\"}",
                      rita)
                  .statusCode())
          .isEqualTo(200);
    } finally {
      ok(berth.call("PATCH", "/api/v1/clusters/local", "{\"production\":false}"), 200);
    }
    assertThat(
            berth
                .call("PATCH", "/api/v1/clusters/local", "{\"production\":true}", rita)
                .statusCode())
        .as("admins only")
        .isEqualTo(403);
  }

  @Test
  void theAuditLogRecordsWhoChangedWhatFromWhereWithTheSpecBeforeAndAfter() throws Exception {
    long version =
        BerthServer.json(berth.call("POST", "/api/v1/apps", app("audited", "red", 0), rita).body())
            .path("version")
            .asLong();
    HttpRequest put =
        HttpRequest.newBuilder(berth.uri("/api/v1/apps/audited"))
            .header("Authorization", "Bearer " + rita)
            .header("Content-Type", "application/json")
            .header("User-Agent", "audit-test/1.0")
            .header("If-Match", "\"" + version + "\"")
            .PUT(
                HttpRequest.BodyPublishers.ofString(
                    app("audited", "red", 0).replace("\"MODE\":\"x\"", "\"MODE\":\"y\"")))
            .build();
    assertThat(berth.http().send(put, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);

    JsonNode change = audit("actor=rita&object=app/audited&action=app.update-spec").getFirst();
    assertThat(change.path("result").asText()).isEqualTo("ok");
    assertThat(change.path("team").asText()).isEqualTo("red");
    assertThat(change.path("remoteAddress").asText()).isEqualTo("127.0.0.1");
    assertThat(change.path("userAgent").asText()).isEqualTo("audit-test/1.0");
    assertThat(change.path("via").asText()).startsWith("token:");
    assertThat(BerthServer.json(change.path("before").asText()).path("env").path("MODE").asText())
        .isEqualTo("x");
    assertThat(BerthServer.json(change.path("after").asText()).path("env").path("MODE").asText())
        .isEqualTo("y");
    assertThat(audit("actor=rita&action=app."))
        .extracting(e -> e.path("action").asText())
        .contains("app.create", "app.update-spec");

    JsonNode first = get("/api/v1/audit?size=2", BerthServer.TOKEN);
    JsonNode second =
        get("/api/v1/audit?size=2&page=" + first.path("next").asText(), BerthServer.TOKEN);
    assertThat(second.path("items").get(0).path("id").asLong())
        .isLessThan(first.path("items").get(1).path("id").asLong());
    assertThat(fields(berth.call("GET", "/api/v1/audit?since=yesterday&page=x", null)))
        .containsExactly("since", "page");
    assertThat(html("/audit?actor=rita&action=app.update-spec", BerthServer.TOKEN))
        .contains("app/audited")
        .contains("audit-test/1.0");
  }

  @Test
  void thePortalShowsTeamsMembersAndOwnTokensAndHidesWhatTheRoleMayNotDo() {
    assertThat(html("/teams", rita))
        .contains("data-team=\"red\"")
        .doesNotContain("data-team=\"blue\"")
        .doesNotContain("New team");
    assertThat(html("/teams/red", rita))
        .contains("data-member=\"rita\"")
        .doesNotContain("Add a member")
        .doesNotContain("Mark as production");
    assertThat(html("/teams/red", BerthServer.TOKEN))
        .contains("Add a member")
        .contains("Mark as production");
    assertThat(html("/users", rita))
        .contains("API tokens of rita")
        .contains("data-token=\"it\"")
        .doesNotContain("data-user=\"bill\"")
        .doesNotContain("New user");
    assertThat(html("/apps/red-web", rita)).contains(">Scale<").contains(">Delete<");
    String viewer = member("val", "red", "viewer");
    assertThat(html("/apps/red-web", viewer))
        .doesNotContain(">Scale<")
        .doesNotContain(">Delete<")
        .doesNotContain(">Modify<");
    assertThat(html("/tasks", rita))
        .contains("Run now")
        .contains("action=\"/runs/red-job-1/delete\"");
    assertThat(html("/tasks", viewer))
        .contains("red-job-1")
        .doesNotContain("Run now")
        .doesNotContain("action=\"/runs/red-job-1/delete\"");
    assertThat(html("/runs/red-job-1", rita)).contains("Delete / reclaim");
    assertThat(html("/runs/red-job-1", viewer)).doesNotContain("Delete / reclaim");
    assertThat(status("/teams/blue", rita)).isEqualTo(404);
    assertThat(status("/audit", rita)).isEqualTo(403);
    assertThat(html("/apps", BerthServer.TOKEN)).contains("Audit log");
    assertThat(html("/apps", rita)).doesNotContain("Audit log");
  }

  // --- helpers ---

  String member(String user, String team, String role) {
    ok(
        berth.call(
            "POST", "/api/v1/users", "{\"name\":\"" + user + "\",\"password\":\"teams-password\"}"),
        201);
    ok(
        berth.call(
            "PUT", "/api/v1/teams/" + team + "/members/" + user, "{\"role\":\"" + role + "\"}"),
        200);
    return token(user, "{\"name\":\"it\"}");
  }

  String token(String user, String body) {
    return token(user, body, BerthServer.TOKEN);
  }

  String token(String user, String body, String as) {
    return BerthServer.json(
            ok(berth.call("POST", "/api/v1/users/" + user + "/tokens", body, as), 201).body())
        .path("secret")
        .asText();
  }

  String app(String name, String team, int instances) {
    return """
        {"name":"%s","team":"%s","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],"env":{"MODE":"x"},"instances":%d}"""
        .formatted(name, team, fixture.image, instances);
  }

  JsonNode get(String path, String token) {
    HttpResponse<String> r = berth.call("GET", path, null, token);
    assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
    return BerthServer.json(r.body());
  }

  List<JsonNode> audit(String query) {
    List<JsonNode> items = new ArrayList<>();
    get("/api/v1/audit?" + query, BerthServer.TOKEN).path("items").forEach(items::add);
    return items;
  }

  String html(String path, String token) {
    HttpResponse<String> response = page(path, token);
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  int status(String path, String token) {
    return page(path, token).statusCode();
  }

  HttpResponse<String> page(String path, String token) {
    try {
      HttpRequest r =
          HttpRequest.newBuilder(berth.uri(path))
              .header("Authorization", "Bearer " + token)
              .header("Accept", "text/html")
              .GET()
              .build();
      return berth.http().send(r, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(path + ": " + e, e);
    }
  }

  static HttpResponse<String> ok(HttpResponse<String> r, int status) {
    assertThat(r.statusCode())
        .as(r.request().method() + " " + r.uri() + ": " + r.body())
        .isEqualTo(status);
    return r;
  }

  static List<String> names(JsonNode items, String field) {
    List<String> names = new ArrayList<>();
    items.forEach(i -> names.add(i.path(field).asText()));
    return names;
  }

  static JsonNode find(JsonNode items, String field, String value) {
    for (JsonNode i : items) {
      if (i.path(field).asText().equals(value)) {
        return i;
      }
    }
    throw new AssertionError("no item with " + field + "=" + value + " in " + items);
  }

  static List<String> fields(HttpResponse<String> r) {
    return names(BerthServer.json(r.body()).path("errors"), "field");
  }
}
