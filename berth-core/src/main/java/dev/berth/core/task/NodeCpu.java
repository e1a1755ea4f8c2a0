package dev.berth.core.task;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.MetricsUnavailableException;
import dev.berth.core.metrics.Sample;
import java.util.List;
import java.util.Map;

/** How busy a cluster's nodes are, for runs that wait until they are idle. Thread-safe. */
@FunctionalInterface
public interface NodeCpu {
  /**
   * The CPU in use on {@code cluster}'s nodes, in percent of their CPUs (0–100).
   *
   * @throws MetricsUnavailableException when it is not measured (no source, no sample yet)
   */
  double busyPercent(String cluster);

  /** No measurement at all: every idle condition keeps waiting, saying so. */
  NodeCpu UNMEASURED =
      cluster -> {
        throw new MetricsUnavailableException("no metric source is configured", null);
      };

  /**
   * Reads {@link MetricNames#NODE_CPU_USAGE} (cores in use) against {@link MetricNames#NODE_CPUS}
   * of every node of the cluster: on one node (local) that node's CPU, on several their sum.
   */
  static NodeCpu from(MetricSource metrics) {
    return cluster -> {
      Map<String, String> match = Map.of(MetricNames.CLUSTER, cluster);
      double used = sum(metrics.latest(MetricNames.NODE_CPU_USAGE, match));
      double cpus = sum(metrics.latest(MetricNames.NODE_CPUS, match));
      if (Double.isNaN(used) || Double.isNaN(cpus) || cpus <= 0) {
        throw new MetricsUnavailableException(
            "no recent sample of "
                + (Double.isNaN(used) ? MetricNames.NODE_CPU_USAGE : MetricNames.NODE_CPUS)
                + " for cluster '"
                + cluster
                + "'",
            null);
      }
      return Math.min(100, Math.max(0, used / cpus * 100));
    };
  }

  private static double sum(List<Sample> samples) {
    return samples.isEmpty() ? Double.NaN : samples.stream().mapToDouble(Sample::value).sum();
  }
}
