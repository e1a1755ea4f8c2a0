package dev.berth.server.charts;

import static dev.berth.server.charts.MetricNames.*;

import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
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
 * inspection. Throws {@link dev.berth.core.metrics.MetricsUnavailableException} (or {@link
 * IllegalStateException} without a source) when nothing can be read; callers say "unavailable".
 */
@Service
public class NodeMetrics {
  private static final Duration RATE_WINDOW = Duration.ofMinutes(2);
  private static final Duration RATE_STEP = Duration.ofSeconds(15);

  private final ObjectProvider<MetricSource> sources;
  private final Scheduler clock;

  public NodeMetrics(ObjectProvider<MetricSource> sources, Scheduler clock) {
    this.sources = sources;
    this.clock = clock;
  }

  /** Whether a metric source is configured at all. */
  public boolean configured() {
    return sources.getIfAvailable() != null;
  }

  /** Each node of {@code cluster} by name with its reading. */
  public Map<String, NodeReading> readings(String cluster) {
    MetricSource source = sources.getIfAvailable();
    if (source == null) {
      throw new IllegalStateException("no metric source is configured");
    }
    Map<String, String> match = Map.of("cluster", cluster);
    Map<String, Map<String, Double>> byNode = new HashMap<>();
    for (String metric :
        List.of(
            NODE_CPUS,
            NODE_MEMORY_USED,
            NODE_MEMORY_TOTAL,
            NODE_CONNTRACK,
            NODE_CONNTRACK_LIMIT,
            NODE_PIDS,
            NODE_PID_MAX,
            NODE_IMAGE_STORE_USED,
            NODE_IMAGE_STORE_SIZE,
            NODE_DISK_USED,
            NODE_DISK_SIZE)) {
      for (Sample s : source.latest(metric, match)) {
        byNode
            .computeIfAbsent(s.labels().getOrDefault("node", ""), n -> new HashMap<>())
            .merge(metric, s.value(), Double::sum);
      }
    }
    Instant now = clock.instant();
    for (Series s : source.range(NODE_CPU, match, now.minus(RATE_WINDOW), now, RATE_STEP)) {
      NavigableMap<Instant, Double> rate = ChartAssembly.rate(ChartAssembly.points(s));
      if (!rate.isEmpty()) {
        byNode
            .computeIfAbsent(s.labels().getOrDefault("node", ""), n -> new HashMap<>())
            .merge(NODE_CPU, rate.lastEntry().getValue(), Double::sum);
      }
    }
    Map<String, NodeReading> readings = new HashMap<>();
    byNode.forEach((node, v) -> readings.put(node, reading(v)));
    return readings;
  }

  private static NodeReading reading(Map<String, Double> v) {
    return new NodeReading(
        v.get(NODE_CPU),
        v.get(NODE_MEMORY_USED),
        v.get(NODE_MEMORY_TOTAL),
        v.get(NODE_CONNTRACK),
        v.get(NODE_CONNTRACK_LIMIT),
        v.get(NODE_PIDS),
        v.get(NODE_PID_MAX),
        v.get(NODE_IMAGE_STORE_USED),
        v.get(NODE_IMAGE_STORE_SIZE),
        v.get(NODE_DISK_USED),
        v.get(NODE_DISK_SIZE));
  }
}
