package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Berth restart never restarts or loses a workload: containers keep running and are re-adopted.
 */
class BerthRestartIT {
  static TestRegistry registry;
  static BerthServer berth;
  static String image;

  static LocalBerth fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(3, "still here", Map.of());
    registry = fixture.registry;
    image = fixture.image;
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  @Test
  void restartingBerthLeavesEveryContainerRunningWithItsIpAndAdoptsIt() throws Exception {
    String body =
        """
        {"name":"keep","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "instances":2,"health":{"readiness":{"type":"tcp","port":8080,"periodSeconds":1}}}
        """
            .formatted(image);
    assertThat(berth.call("POST", "/api/v1/apps", body).statusCode()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/keep").path("status").path("phase").asText())
                    .isEqualTo("Running"));
    JsonNode before = berth.get("/api/v1/apps/keep/instances").path("items");
    long pid0 = Cleanup.containerPid(berth.dataDir(), "keep-0");
    long pid1 = Cleanup.containerPid(berth.dataDir(), "keep-1");

    berth.stop();
    // While Berth is down the workload keeps serving.
    assertThat(AppLifecycleIT.fetch("http://" + before.get(0).path("ip").asText() + ":8080/"))
        .contains("still here");
    berth.start();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode app = berth.get("/api/v1/apps/keep");
              assertThat(app.path("status").path("phase").asText()).isEqualTo("Running");
              assertThat(app.path("status").path("ready").asInt()).isEqualTo(2);
            });
    JsonNode after = berth.get("/api/v1/apps/keep/instances").path("items");
    for (int i = 0; i < 2; i++) {
      assertThat(after.get(i).path("id").asText()).isEqualTo(before.get(i).path("id").asText());
      assertThat(after.get(i).path("ip").asText()).isEqualTo(before.get(i).path("ip").asText());
      assertThat(after.get(i).path("restarts").asInt()).isZero();
    }
    assertThat(Cleanup.containerPid(berth.dataDir(), "keep-0")).isEqualTo(pid0);
    assertThat(Cleanup.containerPid(berth.dataDir(), "keep-1")).isEqualTo(pid1);
    assertThat(AppLifecycleIT.fetch("http://" + after.get(1).path("ip").asText() + ":8080/"))
        .contains("still here");
  }
}
