package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Berth killed with SIGKILL in the middle of a release batch, then started again on the same data:
 * the release resumes the same batch, the finished bastion is not redone (its container keeps its
 * process), and no further batch starts on its own.
 */
class ReleaseKilledIT {
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
    berth = BerthProcess.forClass(151, "release-killed").start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berth != null) {
        berth.closeAndClean("steady");
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  JsonNode release(long id) throws Exception {
    return berth.get("/api/v1/apps/steady/releases/" + id);
  }

  List<Long> revisions() throws Exception {
    List<Long> out = new ArrayList<>();
    for (JsonNode i : berth.get("/api/v1/apps/steady/instances").path("items")) {
      out.add(i.path("revision").asLong());
    }
    return out;
  }

  void awaitPaused(long id, int batch) {
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode r = release(id);
              assertThat(r.path("reason").asText()).as(r.toString()).isEqualTo("AwaitingPromotion");
              assertThat(r.path("batch").asInt()).isEqualTo(batch);
            });
  }

  @Test
  void aReleaseKilledInTheMiddleOfABatchResumesThatBatchAndNeverRedoesTheBastion()
      throws Exception {
    // a long readiness window (4 s + 3 × 20 × 1 s): on a busy machine an instance replaced around
    // the kill may take longer than the default window, which would pause the release as NotReady
    // instead of the batch this test follows
    String app =
        """
        {"name":"steady","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],"instances":3,
         "health":{"readiness":{"type":"tcp","port":8080,"periodSeconds":1,"initialDelaySeconds":4,
                                "failureThreshold":20}}}"""
            .formatted(image1);
    assertThat(berth.call("POST", "/api/v1/apps", app).statusCode()).isEqualTo(201);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/steady").at("/status/phase").asText())
                    .isEqualTo("Running"));
    HttpResponse<String> started =
        berth.call(
            "POST",
            "/api/v1/apps/steady/releases",
            """
            {"image":"%s","strategy":{"bastion":1,"batches":{"count":2},"promotion":"manual"}}"""
                .formatted(image2));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    long id = BerthServer.json(started.body()).path("id").asLong();
    awaitPaused(id, 0);
    long bastionPid = Cleanup.containerPid(berth.dataDir(), "steady-2");

    assertThat(
            berth
                .call("POST", "/api/v1/apps/steady/releases/" + id + "/promote", null)
                .statusCode())
        .isEqualTo(200);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> assertThat(release(id).at("/instances/1/phase").asText()).isEqualTo("updating"));
    berth.kill();
    berth.start();

    awaitPaused(id, 1);
    JsonNode resumed = release(id);
    assertThat(resumed.at("/batches/1/readyAt").isNull()).isFalse();
    assertThat(revisions()).as("batch 1 done, batch 2 not started").containsExactly(1L, 2L, 2L);
    assertThat(Cleanup.containerPid(berth.dataDir(), "steady-2"))
        .as("the bastion's container was never replaced again")
        .isEqualTo(bastionPid);

    assertThat(
            berth
                .call("POST", "/api/v1/apps/steady/releases/" + id + "/promote", null)
                .statusCode())
        .isEqualTo(200);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(release(id).path("state").asText()).isEqualTo("succeeded"));
    assertThat(revisions()).containsExactly(2L, 2L, 2L);
    assertThat(Cleanup.containerPid(berth.dataDir(), "steady-2")).isEqualTo(bastionPid);
  }
}
