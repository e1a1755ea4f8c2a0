package dev.berth.server.metric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventStore.EventQuery;
import dev.berth.core.metrics.MetricsUnavailableException;
import dev.berth.core.metrics.Sample;
import dev.berth.core.testing.FakeClusterRuntime;
import dev.berth.core.testing.RecordingEvents;
import dev.berth.core.time.ManualScheduler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A collection pass: teams added, a failing cluster skipped and said once, then its recovery. */
class MetricsCollectorTest {
  final ManualScheduler clock = new ManualScheduler(EmbeddedMetricStoreTest.START);
  final EmbeddedMetricStore store = EmbeddedMetricStoreTest.store(clock);
  final RecordingEvents events = new RecordingEvents();
  final FakeClusterRuntime local = new FakeClusterRuntime("local", clock);
  final FakeClusterRuntime east = new FakeClusterRuntime("east", clock);
  final MetricsCollector collector =
      new MetricsCollector(
          () -> List.of(local, east),
          new MetricsCollector.Teams(
              app -> app.equals("web") ? Optional.of("payments") : Optional.empty(),
              task -> Optional.of("batch")),
          store,
          events,
          clock);

  /** Every recorded event, oldest first. */
  List<Event> all() {
    return events.query(new EventQuery(null, null, null, 0, 100)).reversed();
  }

  @Test
  void addsTheTeamOfEachSamplesAppOrTask() {
    local.usage(
        () ->
            List.of(
                new Sample(
                    "berth_instance_pids",
                    Map.of("app", "web", "instance", "web-0"),
                    3,
                    clock.instant()),
                new Sample(
                    "berth_run_pids",
                    Map.of("task", "nightly", "run", "nightly-1"),
                    2,
                    clock.instant()),
                new Sample("berth_node_pids", Map.of("node", "a"), 300, clock.instant())));

    collector.run();

    assertThat(store.latest("berth_instance_pids", Map.of()))
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("team", "payments"));
    assertThat(store.latest("berth_run_pids", Map.of()))
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("team", "batch"));
    assertThat(store.latest("berth_node_pids", Map.of()))
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).doesNotContainKey("team"));
  }

  @Test
  void aClusterThatCannotBeAskedIsSkippedAndSaidOnceUntilItAnswersAgain() {
    local.usage(
        () -> List.of(new Sample("berth_node_pids", Map.of("node", "a"), 300, clock.instant())));
    east.usage(
        () -> {
          throw new MetricsUnavailableException("API server unreachable", null);
        });

    collector.run();
    clock.advance(java.time.Duration.ofSeconds(15));
    collector.run();

    assertThat(store.latest("berth_node_pids", Map.of())).hasSize(1);
    List<Event> said = all();
    assertThat(said)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo("MetricsUnavailable");
              assertThat(e.cluster()).isEqualTo("east");
              assertThat(e.message()).contains("API server unreachable");
            });

    east.usage(List::of);
    collector.run();

    assertThat(all())
        .extracting(Event::reason)
        .containsExactly("MetricsUnavailable", "MetricsCollected");
  }
}
