package dev.berth.server.alert;

import dev.berth.core.alert.KnownMetrics;
import dev.berth.core.app.App;
import dev.berth.core.app.AppStore;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.Instance;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Berth's own status as series: {@code berth_node_ready} (1 or 0 per node) and {@code
 * berth_instance_ready} (per instance of every app), read from what the runtimes observe now. Only
 * the present is known: a range is the current value at {@code to}.
 */
final class StatusMetrics implements MetricSource {
  private final ClusterRegistry clusters;
  private final AppStore apps;
  private final InstantSource clock;

  StatusMetrics(ClusterRegistry clusters, AppStore apps, InstantSource clock) {
    this.clusters = clusters;
    this.apps = apps;
    this.clock = clock;
  }

  @Override
  public List<Sample> latest(String metric, Map<String, String> match) {
    Instant now = clock.instant();
    List<Sample> out = new ArrayList<>();
    if (metric.equals(KnownMetrics.NODE_READY)) {
      for (var c : clusters.clusters()) {
        ClusterRuntime rt = clusters.runtime(c.name()).orElse(null);
        if (rt == null) {
          continue;
        }
        for (NodeInfo n : rt.nodes()) {
          add(
              out,
              metric,
              Map.of("cluster", c.name(), "node", n.name()),
              n.ready() ? 1 : 0,
              now,
              match);
        }
      }
    } else if (metric.equals(KnownMetrics.INSTANCE_READY)) {
      for (var c : clusters.clusters()) {
        ClusterRuntime rt = clusters.runtime(c.name()).orElse(null);
        if (rt == null) {
          continue;
        }
        for (String name : apps.names(c.name())) {
          App app = apps.find(name).orElse(null);
          if (app == null) {
            continue;
          }
          for (Instance i : rt.instances(name)) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("cluster", c.name());
            labels.put("app", name);
            labels.put("instance", i.id());
            labels.put("team", app.team());
            if (i.node() != null) {
              labels.put("node", i.node());
            }
            add(out, metric, labels, i.ready() ? 1 : 0, now, match);
          }
        }
      }
    }
    return out;
  }

  private static void add(
      List<Sample> out,
      String metric,
      Map<String, String> labels,
      double value,
      Instant now,
      Map<String, String> match) {
    if (match.entrySet().stream().allMatch(m -> m.getValue().equals(labels.get(m.getKey())))) {
      out.add(new Sample(metric, labels, value, now));
    }
  }

  @Override
  public List<Series> range(
      String metric, Map<String, String> match, Instant from, Instant to, Duration step) {
    return latest(metric, match).stream()
        .map(s -> new Series(metric, s.labels(), List.of(new Series.Point(to, s.value()))))
        .toList();
  }
}
