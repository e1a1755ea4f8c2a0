package dev.berth.server.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import dev.berth.core.time.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which source answers which query, and the PromQL selector a Prometheus is asked with. */
class ClusterMetricsTest {
  final ManualScheduler clock = new ManualScheduler(EmbeddedMetricStoreTest.START);
  final EmbeddedMetricStore store = EmbeddedMetricStoreTest.store(clock);
  final List<String> asked = new ArrayList<>();

  /** A Prometheus that records what it is asked and answers one series without a cluster label. */
  MetricSource prometheus() {
    return new MetricSource() {
      @Override
      public List<Sample> latest(String metric, Map<String, String> match) {
        asked.add(metric + match);
        return List.of(new Sample(metric, Map.of("job", "node"), 1.5, clock.instant()));
      }

      @Override
      public List<Series> range(
          String metric, Map<String, String> match, Instant from, Instant to, Duration step) {
        asked.add(metric + match);
        return List.of();
      }
    };
  }

  @Test
  void berthsOwnMetricsComeFromTheStoreAndOthersFromTheClustersPrometheus() {
    store.write(
        List.of(new Sample("berth_node_pid_max", Map.of("cluster", "east"), 4e6, clock.instant())));
    ClusterMetrics metrics = new ClusterMetrics(store, Map.of("east", prometheus()), false);

    assertThat(metrics.latest("berth_node_pid_max", Map.of("cluster", "east")))
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isEqualTo(4e6));
    assertThat(metrics.latest("node_load1", Map.of("cluster", "east")))
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("cluster", "east"));
    assertThat(asked).containsExactly("node_load1{}");
  }

  @Test
  void withHistoryFromPrometheusBerthsMetricsOfSuchAClusterGoThereWithTheirClusterLabel() {
    ClusterMetrics metrics = new ClusterMetrics(store, Map.of("east", prometheus()), true);

    metrics.latest("berth_instance_pids", Map.of("cluster", "east", "app", "web"));
    metrics.latest("berth_instance_pids", Map.of("cluster", "local"));

    assertThat(asked).singleElement().asString().contains("cluster=east").contains("app=web");
  }

  @Test
  void anotherMetricWithoutAClusterThatHasAPrometheusIsRefusedSayingHowToConfigureOne() {
    ClusterMetrics metrics = new ClusterMetrics(store, Map.of(), false);

    assertThatThrownBy(() -> metrics.latest("node_load1", Map.of("cluster", "local")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("berth.metrics.prometheus.<cluster>");
  }

  @Test
  void theSelectorQuotesLabelValuesAndRefusesBadNames() {
    assertThat(
            PrometheusSource.selector(
                "node_filesystem_avail_bytes",
                Map.of("mountpoint", "/srv/a \"b\"\\", "job", "node")))
        .isEqualTo("node_filesystem_avail_bytes{job=\"node\",mountpoint=\"/srv/a \\\"b\\\"\\\\\"}");
    assertThatThrownBy(() -> PrometheusSource.selector("up or vector(1)", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrometheusSource.selector("up", Map.of("bad-label", "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
