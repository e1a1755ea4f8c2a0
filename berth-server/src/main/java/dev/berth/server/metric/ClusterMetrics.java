package dev.berth.server.metric;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one {@link MetricSource} the rest of Berth asks: Berth's own metrics ({@code berth_*}) come
 * from the embedded store; any other name (node-exporter's {@code node_*}, cAdvisor's {@code
 * container_*}, kube-state-metrics' {@code kube_*}) from the Prometheus configured for the cluster
 * named by the {@code cluster} label ({@code berth.metrics.prometheus.<cluster>}), whose answers
 * carry that {@code cluster} label too. With {@code historyFromPrometheus}, a query of Berth's own
 * metrics that names such a cluster goes to its Prometheus as well (which scrapes Berth and keeps
 * the {@code cluster} label). Thread-safe.
 */
public final class ClusterMetrics implements MetricSource {
  private final EmbeddedMetricStore store;
  private final Map<String, MetricSource> prometheus;
  private final boolean historyFromPrometheus;

  public ClusterMetrics(
      EmbeddedMetricStore store,
      Map<String, MetricSource> prometheus,
      boolean historyFromPrometheus) {
    this.store = store;
    this.prometheus = Map.copyOf(prometheus);
    this.historyFromPrometheus = historyFromPrometheus;
  }

  /** Whether a query of Berth's own {@code metric} matching {@code match} goes to the store. */
  private boolean fromStore(String metric, Map<String, String> match) {
    return isBerths(metric)
        && !(historyFromPrometheus && prometheus.containsKey(match.get(MetricNames.CLUSTER)));
  }

  /** Whether {@code metric} is one Berth measures itself (else a cluster's Prometheus has it). */
  public static boolean isBerths(String metric) {
    return metric != null && metric.startsWith("berth_");
  }

  /** The clusters with a Prometheus. */
  public List<String> prometheusClusters() {
    return prometheus.keySet().stream().sorted().toList();
  }

  @Override
  public List<Sample> latest(String metric, Map<String, String> match) {
    if (fromStore(metric, match)) {
      return store.latest(metric, match);
    }
    if (isBerths(metric)) {
      return prometheus.get(match.get(MetricNames.CLUSTER)).latest(metric, match);
    }
    String cluster = match.get(MetricNames.CLUSTER);
    return source(metric, cluster).latest(metric, without(match)).stream()
        .map(s -> new Sample(s.name(), with(s.labels(), cluster), s.value(), s.at()))
        .toList();
  }

  @Override
  public List<Series> range(
      String metric, Map<String, String> match, Instant from, Instant to, Duration step) {
    if (fromStore(metric, match)) {
      return store.range(metric, match, from, to, step);
    }
    if (isBerths(metric)) {
      return prometheus.get(match.get(MetricNames.CLUSTER)).range(metric, match, from, to, step);
    }
    String cluster = match.get(MetricNames.CLUSTER);
    return source(metric, cluster).range(metric, without(match), from, to, step).stream()
        .map(s -> new Series(s.name(), with(s.labels(), cluster), s.points()))
        .toList();
  }

  private MetricSource source(String metric, String cluster) {
    MetricSource source = cluster == null ? null : prometheus.get(cluster);
    if (source == null) {
      throw new IllegalArgumentException(
          "metric "
              + metric
              + " is not one Berth measures (berth_*); other metrics are read from a cluster's"
              + " Prometheus: name a cluster that has one ("
              + (prometheus.isEmpty()
                  ? "none is configured; set berth.metrics.prometheus.<cluster>"
                  : String.join(", ", prometheusClusters()))
              + ")");
    }
    return source;
  }

  private static Map<String, String> without(Map<String, String> match) {
    Map<String, String> m = new HashMap<>(match);
    m.remove(MetricNames.CLUSTER);
    return m;
  }

  private static Map<String, String> with(Map<String, String> labels, String cluster) {
    Map<String, String> m = new HashMap<>(labels);
    m.put(MetricNames.CLUSTER, cluster);
    return m;
  }
}
