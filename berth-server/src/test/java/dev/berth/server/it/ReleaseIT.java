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
 * Releases on the real local runtime (runc containers, a real registry): a bastion and batches with
 * manual promotion, a revision that never becomes ready stopping at the bastion by itself and an
 * abort bringing it back, and a rollback through a percentage plan with a whitelist.
 */
class ReleaseIT {
  static final Duration READY = Duration.ofSeconds(90);
  static LocalBerth fixture;
  static BerthServer berth;
  static String image2;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(150, "release one", Map.of());
    berth = fixture.berth;
    image2 = TestImages.pushBusybox(fixture.registry.host() + "/demo/busybox:2", "release two");
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String app(String name, int instances) {
    return """
        {"name":"%s","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],"instances":%d,
         "health":{"readiness":{"type":"tcp","port":8080,"periodSeconds":1}}}"""
        .formatted(name, fixture.image, instances);
  }

  static JsonNode post(String path, String body, int expected) {
    HttpResponse<String> r = berth.call("POST", path, body);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(expected);
    return BerthServer.json(r.body());
  }

  static void running(String name, int instances) {
    post("/api/v1/apps", app(name, instances), 201);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/" + name).path("status").path("phase").asText())
                    .isEqualTo("Running"));
  }

  static List<Long> revisions(String app) {
    List<Long> out = new ArrayList<>();
    for (JsonNode i : berth.get("/api/v1/apps/" + app + "/instances").path("items")) {
      out.add(i.path("revision").asLong());
    }
    return out;
  }

  static JsonNode release(String app, long id) {
    return berth.get("/api/v1/apps/" + app + "/releases/" + id);
  }

  static JsonNode awaitState(String app, long id, String state, String reason) {
    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              JsonNode r = release(app, id);
              assertThat(r.path("state").asText()).as(r.toString()).isEqualTo(state);
              if (reason != null) {
                assertThat(r.path("reason").asText()).as(r.toString()).isEqualTo(reason);
              }
            });
    return release(app, id);
  }

  static List<String> reasons(String app) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : berth.get("/api/v1/events?object=" + app + "&size=200").path("items")) {
      out.add(e.path("reason").asText());
    }
    return out;
  }

  @Test
  void aBastionAndTwoBatchesWaitForEachPromotionAndSucceed() {
    running("shop", 4);
    JsonNode started =
        post(
            "/api/v1/apps/shop/releases",
            """
            {"image":"%s","strategy":{"bastion":1,"batches":{"count":2},"promotion":"manual"}}"""
                .formatted(image2),
            201);
    long id = started.path("id").asLong();
    assertThat(started.path("batchCount").asInt()).isEqualTo(3);

    JsonNode paused = awaitState("shop", id, "paused", "AwaitingPromotion");
    assertThat(revisions("shop")).containsExactly(1L, 1L, 1L, 2L);
    assertThat(paused.path("instances").get(3).path("phase").asText()).isEqualTo("updated");
    assertThat(paused.path("instances").get(3).path("ip").asText())
        .startsWith(fixture.subnetPrefix);
    assertThat(paused.at("/batches/0/readySeconds").isNumber()).isTrue();
    assertThat(berth.get("/api/v1/apps/shop").at("/release/state").asText()).isEqualTo("paused");

    post("/api/v1/apps/shop/releases/" + id + "/promote", null, 200);
    awaitState("shop", id, "paused", "AwaitingPromotion");
    assertThat(release("shop", id).path("batch").asInt()).isEqualTo(1);
    assertThat(revisions("shop")).containsExactly(1L, 2L, 2L, 2L);

    post("/api/v1/apps/shop/releases/" + id + "/promote", null, 200);
    awaitState("shop", id, "succeeded", null);
    assertThat(revisions("shop")).containsExactly(2L, 2L, 2L, 2L);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/shop").path("status").path("revision").asLong())
                    .isEqualTo(2));
    assertThat(reasons("shop"))
        .contains(
            "ReleaseStarted",
            "ReleasePaused",
            "ReleasePromoted",
            "BatchStarted",
            "ReleaseSucceeded");
    HttpResponse<String> again =
        berth.call("POST", "/api/v1/apps/shop/releases/" + id + "/promote", null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.headers().firstValue("Content-Type").orElse(""))
        .contains("application/problem+json");

    // rollback to revision 1: half the instances first, web-0 among them, then it waits
    JsonNode back =
        post(
            "/api/v1/apps/shop/rollback",
            """
            {"revision":1,"strategy":{"bastion":0,"batches":{"percentages":[50,50]},
             "promotion":"manual","first":["shop-0"]}}""",
            201);
    long backId = back.path("id").asLong();
    assertThat(back.path("toRevision").asLong()).isEqualTo(3);
    awaitState("shop", backId, "paused", "AwaitingPromotion");
    assertThat(revisions("shop")).as("stops at 50 %, shop-0 first").containsExactly(3L, 2L, 2L, 3L);
    post("/api/v1/apps/shop/releases/" + backId + "/promote", null, 200);
    awaitState("shop", backId, "succeeded", null);
    assertThat(revisions("shop")).containsExactly(3L, 3L, 3L, 3L);
    assertThat(berth.get("/api/v1/apps/shop").path("image").asText()).isEqualTo(fixture.image);
    JsonNode list = berth.get("/api/v1/apps/shop/releases");
    assertThat(list.path("items")).hasSize(2);
    assertThat(list.at("/items/0/id").asLong()).isEqualTo(backId);
  }

  @Test
  void aRevisionThatNeverBecomesReadyStopsAtTheBastionAndAbortBringsItBack() throws Exception {
    running("never", 3);
    String broken =
        """
        {"spec":{"image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
          "health":{"readiness":{"type":"tcp","port":9999,"periodSeconds":1}}},
         "strategy":{"bastion":1,"batches":{"count":1},"batchDeadlineSeconds":20}}"""
            .formatted(fixture.image);
    long id = post("/api/v1/apps/never/releases", broken, 201).path("id").asLong();
    JsonNode stopped = awaitState("never", id, "paused", null);
    assertThat(stopped.path("reason").asText()).isIn("NotReady", "DeadlineExceeded");
    assertThat(revisions("never"))
        .as("the others keep the old revision")
        .containsExactly(1L, 1L, 2L);
    for (JsonNode i : berth.get("/api/v1/apps/never/instances").path("items")) {
      if (i.path("revision").asLong() == 1) {
        assertThat(AppLifecycleIT.fetch("http://" + i.path("ip").asText() + ":8080/"))
            .contains("release one");
      }
    }
    List<String> warnings = new ArrayList<>();
    for (JsonNode e : berth.get("/api/v1/events?object=never&type=Warning&size=50").path("items")) {
      warnings.add(e.path("reason").asText());
    }
    assertThat(warnings).contains("ReleaseStopped");

    post("/api/v1/apps/never/releases/" + id + "/abort", null, 200);
    JsonNode aborted = awaitState("never", id, "aborted", null);
    await()
        .atMost(READY)
        .untilAsserted(
            () -> assertThat(release("never", id).path("finishedAt").isNull()).isFalse());
    assertThat(aborted.path("message").asText()).contains("revision 1, the stable revision");
    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              assertThat(revisions("never")).containsExactly(1L, 1L, 1L);
              JsonNode app = berth.get("/api/v1/apps/never");
              assertThat(app.path("status").path("phase").asText()).isEqualTo("Running");
              assertThat(app.path("revision").asLong()).isEqualTo(1);
            });
  }

  @Test
  void badInputIsAProblemNamingTheField() {
    running("picky", 2);
    String[][] cases = {
      {"{\"image\":\"%s\",\"strategy\":{\"bastion\":3}}", "strategy.bastion"},
      {
        "{\"image\":\"%s\",\"strategy\":{\"batches\":{\"percentages\":[40,40]}}}",
        "strategy.batches.percentages"
      },
      {"{\"image\":\"%s\",\"strategy\":{\"first\":[\"picky-7\"]}}", "strategy.first"},
      {"{\"revision\":9}", "revision"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r =
          berth.call("POST", "/api/v1/apps/picky/releases", c[0].formatted(image2));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(BerthServer.json(r.body()).at("/errors/0/field").asText()).isEqualTo(c[1]);
    }
    assertThat(berth.get("/api/v1/apps/picky/releases").path("items")).isEmpty();
  }
}
