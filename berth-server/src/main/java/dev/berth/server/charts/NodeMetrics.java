package dev.berth.server.charts;

import static dev.berth.core.metrics.MetricNames.*;

import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.Sample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The newest measurements of a cluster's nodes, for the Nodes page, a node's headroom and the
 * inspection: CPU in use (the collectors' gauge of cores), memory in use (total minus available, or
 * the working set where only that is measured), conntrack entries, threads against {@code pid_max},
 * image storage and the fullest filesystem. Throws {@link
 * dev.berth.core.metrics.MetricsUnavailableException} (or {@link IllegalStateException} without a
 * source) when nothing can be read; callers say "unavailable".
 */
@Service
public class NodeMetrics {
  private static final List<String> GAUGES =
      List.of(
          NODE_CPU_USAGE,
          NODE_MEMORY_WORKING_SET,
          NODE_MEMORY_TOTAL,
          NODE_MEMORY_AVAILABLE,
          NODE_CONNTRACK_ENTRIES,
          NODE_CONNTRACK_LIMIT,
          NODE_THREADS,
          NODE_PID_MAX,
          NODE_IMAGE_STORE_USED,
          NODE_IMAGE_STORE_SIZE);

  private final ObjectProvider<MetricSource> sources;

  public NodeMetrics(ObjectProvider<MetricSource> sources) {
    this.sources = sources;
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
    Map<String, NodeReading> readings = new HashMap<>();
    byNode.forEach((node, v) -> readings.put(node, reading(v)));
    return readings;
  }

  private static Map<String, Double> values(
      Map<String, Map<String, Double>> byNode, Map<String, String> labels) {
    return byNode.computeIfAbsent(labels.getOrDefault(NODE, ""), n -> new HashMap<>());
  }

  private static NodeReading reading(Map<String, Double> v) {
    Double total = v.get(NODE_MEMORY_TOTAL);
    Double available = v.get(NODE_MEMORY_AVAILABLE);
    return new NodeReading(
        v.get(NODE_CPU_USAGE),
        total == null || available == null ? v.get(NODE_MEMORY_WORKING_SET) : total - available,
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
