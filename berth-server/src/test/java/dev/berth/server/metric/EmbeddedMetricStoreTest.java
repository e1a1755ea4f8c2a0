package dev.berth.server.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import dev.berth.core.time.ManualScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store: tiers, queries, staleness, expiry and saving, on a clock the test moves. */
class EmbeddedMetricStoreTest {
  static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
  static final Duration STEP = Duration.ofSeconds(15);

  final ManualScheduler clock = new ManualScheduler(START);
  @TempDir Path dir;

  static EmbeddedMetricStore store(ManualScheduler clock) {
    return EmbeddedMetricStore.of(
        STEP, Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofDays(30), clock);
  }

  static final Map<String, String> WEB0 =
      Map.of("cluster", "local", "app", "web", "instance", "web-0", "team", "payments");
  static final Map<String, String> WEB1 =
      Map.of("cluster", "local", "app", "web", "instance", "web-1", "team", "payments");

  /** Writes {@code value(i)} every 15 s for {@code n} intervals, moving the clock. */
  void collect(
      EmbeddedMetricStore store, int n, String name, java.util.function.IntToDoubleFunction value) {
    for (int i = 0; i < n; i++) {
      store.write(
          List.of(
              new Sample(name, WEB0, value.applyAsDouble(i), clock.instant()),
              new Sample(name, WEB1, 2 * value.applyAsDouble(i), clock.instant())));
      clock.advance(STEP);
    }
  }

  @Test
  void latestAnswersTheNewestValueOfEachMatchingSeriesAndForgetsStaleOnes() {
    EmbeddedMetricStore store = store(clock);
    collect(store, 4, "berth_instance_memory_working_set_bytes", i -> 100 + i);

    List<Sample> latest =
        store.latest("berth_instance_memory_working_set_bytes", Map.of("instance", "web-0"));

    assertThat(latest).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(103));
    assertThat(store.latest("berth_instance_memory_working_set_bytes", Map.of("app", "web")))
        .hasSize(2);
    clock.advance(Duration.ofMinutes(1));
    assertThat(store.latest("berth_instance_memory_working_set_bytes", Map.of())).isEmpty();
  }

  @Test
  void aDayAtFifteenSecondsIsChartedFromTheFineTierAndAMonthFromTheCoarseOne() {
    EmbeddedMetricStore store = store(clock);
    // a gauge that is 0 in the first half of each 5-minute slot and 10 in the second half
    collect(store, 4 * 60 * 24 * 2, "berth_instance_pids", i -> (i % 20) < 10 ? 0 : 10);
    Instant now = clock.instant();

    List<Series> fine =
        store.range(
            "berth_instance_pids",
            Map.of("instance", "web-0"),
            now.minus(Duration.ofMinutes(10)),
            now,
            STEP);
    List<Series> coarse =
        store.range(
            "berth_instance_pids",
            Map.of("instance", "web-0"),
            now.minus(Duration.ofHours(47)),
            now,
            Duration.ofMinutes(5));

    assertThat(fine.getFirst().points()).hasSize(41);
    assertThat(fine.getFirst().points()).extracting(Series.Point::value).contains(0.0, 10.0);
    assertThat(coarse.getFirst().points().size()).isBetween(560, 565);
    assertThat(coarse.getFirst().points())
        .extracting(Series.Point::value)
        .allSatisfy(v -> assertThat(v).isCloseTo(5.0, within(1e-6)));
  }

  @Test
  void aCounterKeepsItsLastValuePerCoarseSlotAndStaysExactAtLargeValues() {
    EmbeddedMetricStore store = store(clock);
    double base = 4.2e12; // network bytes after a long uptime
    collect(store, 40, "berth_node_network_receive_bytes_total", i -> base + 1000.0 * i);

    List<Series> fine =
        store.range(
            "berth_node_network_receive_bytes_total",
            Map.of("instance", "web-0"),
            START,
            START.plus(STEP.multipliedBy(39)),
            STEP);

    List<Series.Point> points = fine.getFirst().points();
    assertThat(points).hasSize(40);
    for (int i = 1; i < points.size(); i++) {
      assertThat(points.get(i).value() - points.get(i - 1).value()).isCloseTo(1000, within(1.0));
    }
  }

  @Test
  void expiredChunksAndSeriesAreDropped() {
    EmbeddedMetricStore store = store(clock);
    collect(store, 10, "berth_instance_restarts_total", i -> i);
    assertThat(store.seriesCount()).isEqualTo(2);

    clock.advance(Duration.ofDays(31));
    store.prune();

    assertThat(store.seriesCount()).isZero();
    assertThat(store.names()).isEmpty();
  }

  @Test
  void badRangesAreRefusedNamingTheParameter() {
    EmbeddedMetricStore store = store(clock);
    assertThatThrownBy(
            () -> store.range("berth_instance_pids", Map.of(), START, START.minusSeconds(1), STEP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("to");
    assertThatThrownBy(
            () -> store.range("berth_instance_pids", Map.of(), START, START, Duration.ZERO))
        .hasMessageContaining("step");
    assertThatThrownBy(
            () ->
                store.range(
                    "berth_instance_pids",
                    Map.of(),
                    START.minus(Duration.ofDays(30)),
                    START,
                    Duration.ofSeconds(1)))
        .hasMessageContaining("choose a larger step");
  }

  @Test
  void theHistorySurvivesARestartThroughItsFile() throws IOException {
    EmbeddedMetricStore store = store(clock);
    collect(store, 100, "berth_instance_cpu_seconds_total", i -> 0.5 * i);
    StoreFile file = new StoreFile(dir.resolve("metrics/series.bin.gz"));
    file.save(store);
    Instant now = clock.instant();

    EmbeddedMetricStore again = store(clock);
    int loaded = file.load(again);

    assertThat(loaded).isEqualTo(2);
    assertThat(Files.size(file.path())).isPositive();
    assertThat(again.range("berth_instance_cpu_seconds_total", WEB0, START, now, STEP))
        .isEqualTo(store.range("berth_instance_cpu_seconds_total", WEB0, START, now, STEP));
    assertThat(again.latest("berth_instance_cpu_seconds_total", WEB1))
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isEqualTo(99.0));
  }

  @Test
  void aFileWrittenWithOtherTiersIsIgnored() throws IOException {
    EmbeddedMetricStore store = store(clock);
    collect(store, 3, "berth_instance_pids", i -> i);
    StoreFile file = new StoreFile(dir.resolve("series.bin.gz"));
    file.save(store);
    EmbeddedMetricStore other =
        new EmbeddedMetricStore(
            List.of(Tier.of(Duration.ofSeconds(30), Duration.ofHours(1))), STEP, clock);

    assertThat(file.load(other)).isZero();
    assertThat(other.seriesCount()).isZero();
  }
}
