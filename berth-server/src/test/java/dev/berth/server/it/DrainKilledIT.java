package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Berth killed with SIGKILL right after a drain started (a drain of two instances takes several
 * five-second steps), then started again on the same data: the drain is in the database, so the
 * restarted Berth resumes it to the end, and the node is still cordoned (the mark is in the local
 * runtime's data directory), so the evicted instances wait instead of starting again.
 */
class DrainKilledIT {
  static final String BRIDGE = "berthit193";
  static final String CGROUP = "berth-it193";
  static final Duration WAIT = Duration.ofSeconds(120);
  static TestRegistry registry;
  static BerthProcess berth;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "drain killed");
    Path data = Files.createTempDirectory("berth-it-drain-killed");
    Path log = Path.of("target", "berth-drain-killed-it.log").toAbsolutePath();
    berth = new BerthProcess(data, BRIDGE, "10.203.193.0/24", CGROUP, log).start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berth != null) {
        try {
          String node = berth.get("/api/v1/nodes").at("/items/0/name").asText();
          berth.call("POST", "/api/v1/clusters/local/nodes/" + node + "/uncordon", null);
          berth.call("DELETE", "/api/v1/apps/pair?confirm=pair", null);
          await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(() -> berth.call("GET", "/api/v1/apps/pair", null).statusCode() == 404);
        } catch (java.io.IOException | org.awaitility.core.ConditionTimeoutException notRunning) {
          // Berth is down after a failed assertion; Cleanup below removes what is left
        }
        berth.close();
        Cleanup.local(berth.dataDir(), BRIDGE, CGROUP);
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  @Test
  void aDrainKilledMidwayResumesAfterTheRestart() throws Exception {
    var created =
        berth.call(
            "POST",
            "/api/v1/apps",
            """
            {"name":"pair","image":"%s","instances":2,"command":["sleep","3600"]}"""
                .formatted(image));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonNode items = berth.get("/api/v1/apps/pair/instances").path("items");
              return items.size() == 2
                  && items.get(0).path("ready").asBoolean()
                  && items.get(1).path("ready").asBoolean();
            });
    String node = berth.get("/api/v1/nodes").at("/items/0/name").asText();
    String drain = "/api/v1/clusters/local/nodes/" + node + "/drain";
    var started = berth.call("POST", drain, "{\"deadline\":\"10m\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);

    berth.kill();
    JsonNode before = berth.start().get(drain);
    assertThat(before.path("state").asText()).isIn("running", "succeeded");

    await().atMost(WAIT).until(() -> berth.get(drain).path("state").asText().equals("succeeded"));
    JsonNode done = berth.get(drain);
    assertThat(done.path("startedAt").asText()).isEqualTo(before.path("startedAt").asText());
    assertThat(done.path("instances")).hasSize(2);
    done.path("instances").forEach(i -> assertThat(i.path("phase").asText()).isEqualTo("evicted"));
    assertThat(berth.get("/api/v1/nodes").at("/items/0/schedulable").asBoolean()).isFalse();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonNode items = berth.get("/api/v1/apps/pair/instances").path("items");
              return items.size() == 2
                  && items.get(0).path("message").asText().equals("node " + node + " is cordoned")
                  && items.get(1).path("message").asText().equals("node " + node + " is cordoned");
            });
  }
}
