package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of Berth while runs are running and scheduled: after the restart every run reaches a
 * final state (its container re-adopted), none is lost, the missed fire time runs once, late, and
 * no fire time runs twice.
 */
class TaskCrashIT {
  static TestRegistry registry;
  static BerthProcess berth;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "crash");
    berth = BerthProcess.forClass(5, "crash").start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berth != null) {
        for (String task : List.of("longrun", "atrun", "every2s", "strict")) {
          try {
            berth.call("DELETE", "/api/v1/tasks/" + task, null);
          } catch (java.io.IOException notRunning) {
            // Berth is down after a failed assertion; the cleanup below removes what is left
          }
        }
        berth.closeAndClean();
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  static String task(String name, String command, String extra) {
    return "{\"name\":\""
        + name
        + "\",\"image\":\""
        + image
        + "\",\"command\":[\"sh\",\"-c\",\""
        + command
        + "\"]"
        + extra
        + "}";
  }

  @Test
  void afterAKillMinus9EveryRunEndsNoneIsLostAndNoFireTimeRunsTwice() throws Exception {
    assertThat(
            berth
                .call("POST", "/api/v1/tasks", task("longrun", "sleep 15; echo survived", ""))
                .statusCode())
        .isEqualTo(202);
    Instant at = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/tasks",
                    task(
                        "atrun",
                        "echo fired",
                        ",\"trigger\":{\"type\":\"at\",\"at\":\"" + at + "\"}"))
                .statusCode())
        .isEqualTo(201);
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/tasks",
                    task(
                        "every2s",
                        "true",
                        ",\"trigger\":{\"type\":\"cron\",\"cron\":\"*/2 * * * * *\"}"))
                .statusCode())
        .isEqualTo(201);
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/tasks",
                    task(
                        "strict",
                        "true",
                        ",\"trigger\":{\"type\":\"cron\",\"cron\":\"*/2 * * * * *\",\"startingDeadlineSeconds\":1}"))
                .statusCode())
        .isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> berth.get("/api/v1/runs/longrun-1").path("state").asText().equals("running"));

    berth.kill();
    // Berth stays down past the at-trigger's fire time and several cron fire times.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Instant.now().isAfter(at.plusSeconds(3)));
    assertThat(Cleanup.run("runc", "--root", Cleanup.runcRoot(berth.dataDir()).toString(), "list"))
        .contains("running");
    berth.start();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode run = berth.get("/api/v1/runs/longrun-1");
              assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("succeeded");
            });
    assertThat(berth.call("GET", "/api/v1/runs/longrun-1/logs", null).body()).contains("survived");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode runs = berth.get("/api/v1/tasks/atrun/runs");
              assertThat(runs.path("total").asLong()).isEqualTo(1);
              assertThat(runs.path("items").get(0).path("state").asText()).isEqualTo("succeeded");
              assertThat(Instant.parse(runs.path("items").get(0).path("scheduledAt").asText()))
                  .isEqualTo(at);
            });
    List<String> atEvents = new ArrayList<>();
    berth
        .get("/api/v1/events?object=atrun&limit=100")
        .path("items")
        .forEach(e -> atEvents.add(e.path("reason").asText()));
    assertThat(atEvents).contains("LateRun");

    // The strict task's fire time passed while Berth was down, beyond its deadline: skipped, with
    // an event.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<String> strict = new ArrayList<>();
              berth
                  .get("/api/v1/events?object=strict&limit=100")
                  .path("items")
                  .forEach(e -> strict.add(e.path("reason").asText()));
              assertThat(strict).contains("MissedSchedule");
            });
    assertThat(berth.call("DELETE", "/api/v1/tasks/strict", null).statusCode()).isEqualTo(200);

    // The cron task: after the restart it runs on; every fire time has at most one run, and each
    // run ends.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> berth.get("/api/v1/tasks/every2s/runs?size=200").path("total").asLong() >= 3);
    assertThat(berth.call("DELETE", "/api/v1/tasks/every2s", null).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode runs = berth.get("/api/v1/tasks/every2s/runs?size=200").path("items");
              Set<String> fireTimes = new HashSet<>();
              for (JsonNode r : runs) {
                assertThat(fireTimes.add(r.path("scheduledAt").asText()))
                    .as("fire time %s ran twice", r.path("scheduledAt").asText())
                    .isTrue();
                assertThat(r.path("state").asText()).isIn("succeeded", "cancelled");
              }
            });
  }
}
