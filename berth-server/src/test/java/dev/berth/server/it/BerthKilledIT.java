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
 * Berth killed with SIGKILL (no shutdown hook, no graceful stop, a crash) leaves every app
 * container running, and the restarted Berth adopts them: same processes, same addresses, no
 * restart counted. {@link BerthRestartIT} covers the graceful stop.
 */
class BerthKilledIT {
  static final String BRIDGE = "berthit133";
  static final String CGROUP = "berth-it133";
  static TestRegistry registry;
  static BerthProcess berth;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "survived kill -9");
    Path data = Files.createTempDirectory("berth-it-killed");
    Path log = Path.of("target", "berth-killed-it.log").toAbsolutePath();
    berth = new BerthProcess(data, BRIDGE, "10.203.133.0/24", CGROUP, log).start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berth != null) {
        try {
          berth.call("DELETE", "/api/v1/apps/crashproof?confirm=crashproof", null);
          await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(() -> berth.call("GET", "/api/v1/apps/crashproof", null).statusCode() == 404);
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
  void afterAKillMinus9BerthAdoptsTheRunningContainersWithTheirPidsAndIpsAndCountsNoRestart()
      throws Exception {
    String body =
        """
        {"name":"crashproof","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "instances":2,"health":{"readiness":{"type":"tcp","port":8080,"periodSeconds":1}}}
        """
            .formatted(image);
    assertThat(berth.call("POST", "/api/v1/apps", body).statusCode()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode app = berth.get("/api/v1/apps/crashproof");
              assertThat(app.path("status").path("phase").asText()).isEqualTo("Running");
              assertThat(app.path("status").path("ready").asInt()).isEqualTo(2);
            });
    JsonNode before = berth.get("/api/v1/apps/crashproof/instances").path("items");
    long pid0 = Cleanup.containerPid(berth.dataDir(), "crashproof-0");
    long pid1 = Cleanup.containerPid(berth.dataDir(), "crashproof-1");

    berth.kill();
    // Nobody stopped the containers: they keep serving while Berth is dead.
    assertThat(AppLifecycleIT.fetch("http://" + before.get(0).path("ip").asText() + ":8080/"))
        .contains("survived kill -9");
    assertThat(AppLifecycleIT.fetch("http://" + before.get(1).path("ip").asText() + ":8080/"))
        .contains("survived kill -9");
    berth.start();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode app = berth.get("/api/v1/apps/crashproof");
              assertThat(app.path("status").path("phase").asText()).isEqualTo("Running");
              assertThat(app.path("status").path("ready").asInt()).isEqualTo(2);
            });
    JsonNode after = berth.get("/api/v1/apps/crashproof/instances").path("items");
    assertThat(after).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(after.get(i).path("id").asText()).isEqualTo(before.get(i).path("id").asText());
      assertThat(after.get(i).path("ip").asText()).isEqualTo(before.get(i).path("ip").asText());
      assertThat(after.get(i).path("restarts").asInt()).as(after.get(i).toString()).isZero();
    }
    assertThat(Cleanup.containerPid(berth.dataDir(), "crashproof-0")).isEqualTo(pid0);
    assertThat(Cleanup.containerPid(berth.dataDir(), "crashproof-1")).isEqualTo(pid1);
    assertThat(AppLifecycleIT.fetch("http://" + after.get(1).path("ip").asText() + ":8080/"))
        .contains("survived kill -9");
  }
}
