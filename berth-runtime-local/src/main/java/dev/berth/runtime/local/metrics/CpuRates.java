package dev.berth.runtime.local.metrics;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds CPU in use now, in cores, to one collection's samples: the rate of the node's busy CPU
 * seconds (every mode but idle and iowait) and of each instance's and run's CPU seconds since the
 * previous collection. A series seen for the first time, or whose counter went down (a new
 * container), gets its rate at the next collection. Remembers only the series of the last pass. Not
 * thread-safe: one collector calls it.
 */
public final class CpuRates {
  private record Last(double seconds, java.time.Instant at) {}

  private Map<Map<String, String>, Last> last = new HashMap<>();

  /** {@code samples} plus the usage samples derived from their CPU counters. */
  public List<Sample> withUsage(List<Sample> samples) {
    Map<Map<String, String>, Sample> busy = new HashMap<>();
    List<Sample> counters = new ArrayList<>();
    for (Sample s : samples) {
      switch (s.name()) {
        case MetricNames.NODE_CPU_SECONDS -> {
          String mode = s.labels().get(MetricNames.MODE);
          if (!"idle".equals(mode) && !"iowait".equals(mode)) {
            Map<String, String> node = new HashMap<>(s.labels());
            node.remove(MetricNames.MODE);
            busy.merge(
                Map.copyOf(node),
                new Sample(MetricNames.NODE_CPU_USAGE, node, s.value(), s.at()),
                (a, b) -> new Sample(a.name(), a.labels(), a.value() + b.value(), a.at()));
          }
        }
        case MetricNames.INSTANCE_CPU_SECONDS ->
            counters.add(new Sample(MetricNames.INSTANCE_CPU_USAGE, s.labels(), s.value(), s.at()));
        case MetricNames.RUN_CPU_SECONDS ->
            counters.add(new Sample(MetricNames.RUN_CPU_USAGE, s.labels(), s.value(), s.at()));
        default -> {}
      }
    }
    counters.addAll(busy.values());
    Map<Map<String, String>, Last> now = new HashMap<>();
    List<Sample> out = new ArrayList<>(samples);
    for (Sample c : counters) {
      Map<String, String> key = new HashMap<>(c.labels());
      key.put("__name__", c.name());
      now.put(key, new Last(c.value(), c.at()));
      Last before = last.get(key);
      if (before == null || c.value() < before.seconds() || !c.at().isAfter(before.at())) {
        continue;
      }
      double elapsed = Duration.between(before.at(), c.at()).toNanos() / 1e9;
      out.add(new Sample(c.name(), c.labels(), (c.value() - before.seconds()) / elapsed, c.at()));
    }
    last = now;
    return out;
  }
}
