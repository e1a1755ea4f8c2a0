package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pipeline on the real local runtime: apps {@code web-test} and {@code web-staging} of team
 * {@code qa} are the {@code test} and {@code staging} environments, app {@code web-prod} of team
 * {@code ops} is {@code prod}, which requires approval. The image released in test goes to staging
 * at once and on to prod pinned to its digest; qa's operator may promote but not approve into prod,
 * ops' operator approves, and prod then runs exactly that digest.
 */
class PipelineIT {
  static final Duration READY = Duration.ofSeconds(90);
  static LocalBerth fixture;
  static BerthServer berth;
  static String image2;
  static String tess;
  static String oscar;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(157, "pipeline one", Map.of());
    berth = fixture.berth;
    image2 = TestImages.pushBusybox(fixture.registry.host() + "/demo/busybox:2", "pipeline two");
    post("/api/v1/teams", "{\"name\":\"qa\"}", 201, BerthServer.TOKEN);
    post("/api/v1/teams", "{\"name\":\"ops\"}", 201, BerthServer.TOKEN);
    tess = member("tess", "qa", "operator");
    oscar = member("oscar", "ops", "operator");
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String member(String user, String team, String role) {
    post(
        "/api/v1/users",
        "{\"name\":\"" + user + "\",\"password\":\"pipeline-password\",\"role\":\"member\"}",
        201,
        BerthServer.TOKEN);
    HttpResponse<String> r =
        berth.call(
            "PUT", "/api/v1/teams/" + team + "/members/" + user, "{\"role\":\"" + role + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return post("/api/v1/users/" + user + "/tokens", "{\"name\":\"it\"}", 201, BerthServer.TOKEN)
        .path("secret")
        .asText();
  }

  static JsonNode post(String path, String body, int expected, String token) {
    HttpResponse<String> r = berth.call("POST", path, body, token);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(expected);
    return BerthServer.json(r.body());
  }

  static void running(String name, String team) {
    post(
        "/api/v1/apps",
        """
        {"name":"%s","team":"%s","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "instances":2,"health":{"readiness":{"type":"tcp","port":8080,"periodSeconds":1}}}"""
            .formatted(name, team, fixture.image),
        201,
        BerthServer.TOKEN);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/" + name).path("status").path("phase").asText())
                    .isEqualTo("Running"));
  }

  static void succeeded(String app, long id) {
    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              JsonNode r = berth.get("/api/v1/apps/" + app + "/releases/" + id);
              assertThat(r.path("state").asText()).as(r.toString()).isEqualTo("succeeded");
            });
  }

  static String fieldOf(HttpResponse<String> r) {
    return BerthServer.json(r.body()).at("/errors/0/field").asText();
  }

  @Test
  void theDigestReleasedInTestGoesToProdOnlyAfterOpsApprovesIt() {
    running("web-test", "qa");
    running("web-staging", "qa");
    running("web-prod", "ops");
    post(
        "/api/v1/pipelines",
        """
        {"name":"web","team":"qa","environments":[{"name":"test","app":"web-test"},
         {"name":"staging","app":"web-staging"},
         {"name":"prod","app":"web-prod","requiresApproval":true}]}""",
        201,
        BerthServer.TOKEN);

    HttpResponse<String> nothingYet =
        berth.call("POST", "/api/v1/pipelines/web/promote", "{\"from\":\"test\"}", tess);
    assertThat(nothingYet.statusCode()).as(nothingYet.body()).isEqualTo(409);
    assertThat(nothingYet.body()).contains("no succeeded release");

    long testRelease =
        post(
                "/api/v1/apps/web-test/releases",
                "{\"image\":\"" + image2 + "\"}",
                201,
                BerthServer.TOKEN)
            .path("id")
            .asLong();
    succeeded("web-test", testRelease);
    String testDigest = berth.get("/api/v1/pipelines/web").at("/environments/0/digest").asText();
    assertThat(testDigest).startsWith("sha256:");

    HttpResponse<String> unknown =
        berth.call("POST", "/api/v1/pipelines/web/promote", "{\"from\":\"canary\"}", tess);
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
    assertThat(fieldOf(unknown)).isEqualTo("from");
    assertThat(unknown.body()).contains("test → staging → prod");
    HttpResponse<String> last =
        berth.call("POST", "/api/v1/pipelines/web/promote", "{\"from\":\"prod\"}", tess);
    assertThat(last.statusCode()).isEqualTo(400);
    assertThat(last.body()).contains("last environment");

    HttpResponse<String> notTheirs =
        berth.call("POST", "/api/v1/pipelines/web/promote", "{\"from\":\"test\"}", oscar);
    assertThat(notTheirs.statusCode()).as(notTheirs.body()).isEqualTo(403);
    assertThat(BerthServer.json(notTheirs.body()).path("permission").asText())
        .as("promoting out of an environment is its own team's call")
        .isEqualTo("pipeline.promote");

    JsonNode toStaging = post("/api/v1/pipelines/web/promote", "{\"from\":\"test\"}", 201, tess);
    assertThat(toStaging.path("state").asText())
        .as("staging needs no approval: its release starts at once")
        .isEqualTo("released");
    assertThat(toStaging.path("digest").asText()).isEqualTo(testDigest);
    succeeded("web-staging", toStaging.path("release").asLong());
    assertThat(berth.get("/api/v1/apps/web-staging").path("image").asText())
        .isEqualTo(toStaging.path("image").asText());

    JsonNode asked = post("/api/v1/pipelines/web/promote", "{\"from\":\"staging\"}", 201, tess);
    long id = asked.path("id").asLong();
    assertThat(asked.path("state").asText()).isEqualTo("awaiting-approval");
    assertThat(asked.path("digest").asText()).isEqualTo(testDigest);
    assertThat(asked.path("image").asText()).endsWith("/demo/busybox@" + testDigest);
    assertThat(berth.get("/api/v1/apps/web-prod").path("image").asText())
        .as("nothing released before the approval")
        .isEqualTo(fixture.image);

    HttpResponse<String> byOutsider =
        berth.call("POST", "/api/v1/pipelines/web/promotions/" + id + "/approve", null, tess);
    assertThat(byOutsider.statusCode()).as(byOutsider.body()).isEqualTo(403);
    assertThat(BerthServer.json(byOutsider.body()).path("permission").asText())
        .isEqualTo("pipeline.approve");

    JsonNode approved =
        post("/api/v1/pipelines/web/promotions/" + id + "/approve", null, 200, oscar);
    assertThat(approved.path("state").asText()).isEqualTo("released");
    assertThat(approved.path("decidedBy").asText()).isEqualTo("oscar");
    long prodRelease = approved.path("release").asLong();
    succeeded("web-prod", prodRelease);

    JsonNode prod = berth.get("/api/v1/apps/web-prod");
    assertThat(prod.path("image").asText()).isEqualTo(asked.path("image").asText());
    assertThat(berth.get("/api/v1/pipelines/web").at("/environments/2/digest").asText())
        .isEqualTo(testDigest);
    List<Long> revisions = new ArrayList<>();
    for (JsonNode i : berth.get("/api/v1/apps/web-prod/instances").path("items")) {
      assertThat(i.path("ready").asBoolean()).isTrue();
      revisions.add(i.path("revision").asLong());
    }
    assertThat(revisions).containsOnly(prod.path("revision").asLong());

    HttpResponse<String> again =
        berth.call("POST", "/api/v1/pipelines/web/promotions/" + id + "/approve", null, oscar);
    assertThat(again.statusCode()).isEqualTo(409);

    List<String> reasons = new ArrayList<>();
    for (JsonNode e : berth.get("/api/v1/events?object=web-prod&size=200").path("items")) {
      reasons.add(e.path("reason").asText());
    }
    assertThat(reasons).contains("PromotionAwaitingApproval", "PromotionReleased");
    assertThat(auditResults("tess")).containsExactly("denied");
    assertThat(auditResults("oscar")).as("newest first").containsExactly("failed", "ok");
  }

  static List<String> auditResults(String actor) {
    List<String> out = new ArrayList<>();
    for (JsonNode e :
        berth.get("/api/v1/audit?action=pipeline.approve&actor=" + actor).path("items")) {
      out.add(e.path("result").asText());
    }
    return out;
  }

  @Test
  void aPipelineNamesTheFieldThatIsWrong() {
    HttpResponse<String> r =
        berth.call(
            "POST",
            "/api/v1/pipelines",
            """
            {"name":"Bad Name","environments":[{"name":"test","app":"nope"}]}""");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(r.body()).contains("\"name\"", "\"environments\"", "environments[0].app");
    HttpResponse<String> missing =
        berth.call("POST", "/api/v1/pipelines/none/promote", "{\"from\":\"test\"}");
    assertThat(missing.statusCode()).isEqualTo(404);
  }
}
