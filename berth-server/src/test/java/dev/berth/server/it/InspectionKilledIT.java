package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scheduled inspections survive a SIGKILL of Berth: the schedule picks up again after the restart
 * from the newest stored report, and every stored report is complete (a report is written only once
 * all its checks ran).
 */
class InspectionKilledIT {
  static BerthProcess berth;

  @BeforeAll
  static void start() throws Exception {
    berth =
        BerthProcess.forClass(177, "inspection-killed")
            .with("berth.inspection.interval", "3s")
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (berth != null) {
      berth.closeAndClean();
    }
  }

  JsonNode reports() throws Exception {
    return berth.get("/api/v1/clusters/local/inspections?limit=200").path("items");
  }

  @Test
  void scheduledInspectionsGoOnAfterAKillAndEveryStoredReportIsComplete() throws Exception {
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> reports().size() >= 2);
    berth.kill();
    Instant killedAt = Instant.now();
    berth.start();
    int before = reports().size();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              JsonNode newest = reports().get(0);
              return reports().size() > before
                  && Instant.parse(newest.path("startedAt").asText()).isAfter(killedAt);
            });

    for (JsonNode r : reports()) {
      assertThat(r.path("trigger").asText()).isEqualTo("scheduled");
      assertThat(r.path("requestedBy").asText()).isEqualTo("system");
      JsonNode full = berth.get("/api/v1/clusters/local/inspections/" + r.path("id").asLong());
      assertThat(full.path("findings").size()).as(full.toString()).isPositive();
      assertThat(full.path("findings").toString()).contains("node-ready").contains("clock-skew");
      assertThat(Instant.parse(full.path("finishedAt").asText()))
          .isAfterOrEqualTo(Instant.parse(full.path("startedAt").asText()));
    }
  }
}
