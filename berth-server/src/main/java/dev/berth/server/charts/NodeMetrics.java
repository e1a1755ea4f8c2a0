package dev.berth.server.charts;

import static dev.berth.core.metrics.MetricNames.*;

import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.Sample;
import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The newest measurements of a cluster's nodes, for the Nodes page, a node's headroom and the
 * inspection: CPU in use (the rate of non-idle CPU time over the last two minutes), memory in use
 * (total minus available), conntrack entries, threads against {@code pid_max}, image storage and
 * the fullest filesystem. Throws {@link dev.berth.core.metrics.MetricsUnavailableException} (or
 * {@link IllegalStateException} without a source) when nothing can be read; callers say
 * "unavailable".
 */
@Service
public class NodeMetrics {
  private static final Duration RATE_WINDOW = Duration.ofMinutes(2);
  private static final Duration RATE_STEP = Duration.ofSeconds(15);
  private static final List<String> GAUGES =
      List.of(
          NODE_MEMORY_TOTAL,
          NODE_MEMORY_AVAILABLE,
          NODE_CONNTRACK_ENTRIES,
          NODE_CONNTRACK_LIMIT,
          NODE_THREADS,
          NODE_PID_MAX,
          NODE_IMAGE_STORE_USED,
          NODE_IMAGE_STORE_SIZE);

  private final ObjectProvider<MetricSource> sources;
  private final Scheduler clock;

  public NodeMetrics(ObjectProvider<MetricSource> sources, Scheduler clock) {
    this.sources = sources;
    this.clock = clock;
  }

  /** Each node of {@code cluster} by name with its reading. */
  public Map<String, NodeReading> readings(String cluster) {
    MetricSource source = sources.getIfAvailable();
    if (source == null) {
      throw new IllegalStateException("no metric source is configured");
    }
    Map<String, String> match = Map.of(CLUSTER, cluster);
    Map<String, Map<String, Double>> byNode = new HashMap<>();
    for (String metric : GAUGES) {
      for (Sample s : source.latest(metric, match)) {
        values(byNode, s.labels()).put(metric, s.value());
      }
    }
    Map<String, Sample[]> fullest = new HashMap<>();
    Map<String, Sample> sizes = new HashMap<>();
    for (Sample s : source.latest(NODE_FILESYSTEM_SIZE, match)) {
      sizes.put(s.labels().getOrDefault(NODE, "") + "\0" + s.labels().get(MOUNTPOINT), s);
    }
    for (Sample used : source.latest(NODE_FILESYSTEM_USED, match)) {
      Sample size =
          sizes.get(used.labels().getOrDefault(NODE, "") + "\0" + used.labels().get(MOUNTPOINT));
      Double share = size == null ? null : NodeReading.percent(used.value(), size.value());
      if (share == null) {
        continue;
      }
      fullest.merge(
          used.labels().getOrDefault(NODE, ""),
          new Sample[] {used, size},
          (a, b) -> NodeReading.percent(a[0].value(), a[1].value()) >= share ? a : b);
    }
    fullest.forEach(
        (node, pair) -> {
          Map<String, Double> v = byNode.computeIfAbsent(node, n -> new HashMap<>());
          v.put(NODE_FILESYSTEM_USED, pair[0].value());
          v.put(NODE_FILESYSTEM_SIZE, pair[1].value());
        });
    Instant now = clock.instant();
    ChartAssembly.summedRates(
            source.range(NODE_CPU_SECONDS, match, now.minus(RATE_WINDOW), now, RATE_STEP), NODE)
        .forEach(
            (node, rate) -> {
              if (!rate.isEmpty()) {
                byNode
                    .computeIfAbsent(node, n -> new HashMap<>())
                    .put(NODE_CPU_SECONDS, lastOf(rate));
              }
            });
    Map<String, NodeReading> readings = new HashMap<>();
    byNode.forEach((node, v) -> readings.put(node, reading(v)));
    return readings;
  }

  private static Map<String, Double> values(
      Map<String, Map<String, Double>> byNode, Map<String, String> labels) {
    return byNode.computeIfAbsent(labels.getOrDefault(NODE, ""), n -> new HashMap<>());
  }

  private static double lastOf(NavigableMap<Instant, Double> rate) {
    return rate.lastEntry().getValue();
  }

  private static NodeReading reading(Map<String, Double> v) {
    Double total = v.get(NODE_MEMORY_TOTAL);
    Double available = v.get(NODE_MEMORY_AVAILABLE);
    return new NodeReading(
        v.get(NODE_CPU_SECONDS),
        total == null || available == null ? null : total - available,
        total,
        v.get(NODE_CONNTRACK_ENTRIES),
        v.get(NODE_CONNTRACK_LIMIT),
        v.get(NODE_THREADS),
        v.get(NODE_PID_MAX),
        v.get(NODE_IMAGE_STORE_USED),
        v.get(NODE_IMAGE_STORE_SIZE),
        v.get(NODE_FILESYSTEM_USED),
        v.get(NODE_FILESYSTEM_SIZE));
  }
}
