package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Berth killed with SIGKILL after a promotion was approved but before its release started (the
 * promotion's row says {@code approved}, as the approval writes it first): started again on the
 * same data, Berth starts that release in the target by itself and the promotion ends {@code
 * released}.
 */
class PromotionKilledIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static TestRegistry registry;
  static BerthProcess berth;
  static String image1;
  static String image2;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    image1 = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "before");
    image2 = TestImages.pushBusybox(registry.host() + "/demo/busybox:2", "after");
    berth = BerthProcess.forClass(159, "promotion-killed").start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berth != null) {
        berth.closeAndClean();
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  JsonNode post(String path, String body, int expected) throws Exception {
    HttpResponse<String> r = berth.call("POST", path, body);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(expected);
    return BerthServer.json(r.body());
  }

  void app(String name) throws Exception {
    post(
        "/api/v1/apps",
        "{\"name\":\"%s\",\"image\":\"%s\",\"command\":[\"sleep\",\"3600\"],\"instances\":0}"
            .formatted(name, image1),
        201);
    HttpResponse<String> r =
        berth.call("PUT", "/api/v1/apps/" + name + "/release-strategy", "{\"bastion\":0}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void aPromotionApprovedWhenBerthWasKilledIsReleasedWhenItComesBack() throws Exception {
    app("svc-test");
    app("svc-prod");
    post(
        "/api/v1/pipelines",
        """
        {"name":"svc","environments":[{"name":"test","app":"svc-test"},
         {"name":"prod","app":"svc-prod","requiresApproval":true}]}""",
        201);
    long tested =
        post("/api/v1/apps/svc-test/releases", "{\"image\":\"" + image2 + "\"}", 201)
            .path("id")
            .asLong();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        berth
                            .get("/api/v1/apps/svc-test/releases/" + tested)
                            .path("state")
                            .asText())
                    .isEqualTo("succeeded"));
    JsonNode asked = post("/api/v1/pipelines/svc/promote", "{\"from\":\"test\"}", 201);
    long id = asked.path("id").asLong();
    String pinned = asked.path("image").asText();
    assertThat(pinned).contains("@sha256:");

    assertThat(berth.get("/api/v1/apps/svc-prod").path("image").asText())
        .as("nothing released while the promotion awaits approval")
        .isEqualTo(image1);
    berth.kill();
    try (Connection db =
            DriverManager.getConnection(
                "jdbc:h2:file:" + berth.dataDir().resolve("db/berth"), "berth", "");
        Statement s = db.createStatement()) {
      assertThat(
              s.executeUpdate(
                  "UPDATE promotions SET state = 'approved', promotion_json ="
                      + " REPLACE(promotion_json, '\"awaiting-approval\"', '\"approved\"')"
                      + " WHERE id = "
                      + id))
          .isEqualTo(1);
    }
    berth.start();

    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode p = berth.get("/api/v1/pipelines/svc/promotions/" + id);
              assertThat(p.path("state").asText()).isEqualTo("released");
              assertThat(p.path("release").asLong()).isPositive();
            });
    assertThat(berth.get("/api/v1/apps/svc-prod").path("image").asText()).isEqualTo(pinned);
    JsonNode events = berth.get("/api/v1/events?object=svc-prod&size=100").path("items");
    assertThat(events.findValuesAsText("reason")).contains("PromotionReleased");
  }
}
