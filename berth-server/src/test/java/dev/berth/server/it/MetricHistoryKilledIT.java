package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metric history survives a kill -9 of Berth: what was saved before the kill (every flush
 * interval) is charted after the restart, and collection goes on.
 */
class MetricHistoryKilledIT {
  static BerthProcess berth;

  @BeforeAll
  static void start() throws Exception {
    berth =
        BerthProcess.forClass(172, "metrics-killed")
            .with("berth.metrics.interval", "1s")
            .with("berth.metrics.flush-interval", "2s")
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (berth != null) {
      berth.closeAndClean();
    }
  }

  static JsonNode points(Instant from) throws Exception {
    JsonNode series =
        berth
            .get("/api/v1/metrics/query?metric=berth_node_pid_max&from=" + from + "&step=1s")
            .path("series");
    return series.isEmpty() ? series : series.get(0).path("points");
  }

  @Test
  void theHistorySavedBeforeAKillIsChartedAfterTheRestart() throws Exception {
    Instant began = Instant.now().minusSeconds(5);
    await().atMost(Duration.ofSeconds(60)).until(() -> points(began).size() >= 6);
    Path file = berth.dataDir().resolve("metrics/series.bin.gz");
    // a save that happened after those six collections
    Instant sixth = Instant.ofEpochSecond(points(began).get(5).get(0).asLong());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.exists(file)
                    && Files.getLastModifiedTime(file).toInstant().isAfter(sixth.plusSeconds(1)));

    berth.kill();
    Instant killed = Instant.now();
    berth.start();

    JsonNode after = points(began);
    assertThat(after.size()).as(after.toString()).isGreaterThanOrEqualTo(6);
    assertThat(after.get(0).get(0).asDouble()).isLessThan(killed.getEpochSecond());
    // and collection goes on after the restart
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonNode p = points(began);
              return p.get(p.size() - 1).get(0).asDouble() > killed.getEpochSecond();
            });
  }
}
