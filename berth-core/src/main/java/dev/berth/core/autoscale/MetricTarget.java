package dev.berth.core.autoscale;

import java.util.Map;

/**
 * One metric an app's instance count follows, and its target per instance:
 *
 * <ul>
 *   <li>{@code cpu}: {@code targetPercent} of the guaranteed CPU ({@code resources.cpu}), averaged
 *       over the counted instances, as the HPA's CPU utilization;
 *   <li>{@code memory}: {@code targetPercent} of the memory limit, averaged likewise;
 *   <li>{@code requests}: {@code targetValue} requests per second per instance (the gateway's
 *       {@code berth_gateway_requests_total});
 *   <li>{@code p95}: {@code targetValue} milliseconds of the 95th percentile request duration (the
 *       gateway's {@code berth_gateway_request_duration_seconds} histogram);
 *   <li>{@code metric}: any metric Berth stores or a cluster's Prometheus answers ({@code name},
 *       narrowed by {@code match}; a counter is turned into its rate): the sum of its series
 *       divided by the instance count, against {@code targetValue} per instance.
 * </ul>
 */
public record MetricTarget(
    String type, Double targetPercent, Double targetValue, String name, Map<String, String> match) {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String REQUESTS = "requests";
  public static final String P95 = "p95";
  public static final String METRIC = "metric";

  public MetricTarget {
    match = match == null ? Map.of() : Map.copyOf(match);
  }

  public static MetricTarget cpu(double percent) {
    return new MetricTarget(CPU, percent, null, null, null);
  }

  /** The target in the reading's unit (percent for cpu and memory, else {@code targetValue}). */
  public double target() {
    if (usesPercent()) {
      return targetPercent == null ? 0 : targetPercent;
    }
    return targetValue == null ? 0 : targetValue;
  }

  public boolean usesPercent() {
    return CPU.equals(type) || MEMORY.equals(type);
  }

  /** A short label for explanations: {@code cpu}, {@code p95}, {@code metric queue_depth}. */
  public String label() {
    return METRIC.equals(type) ? "metric " + name : type;
  }

  /** The unit of a reading, for explanations. */
  public String unit() {
    return switch (type == null ? "" : type) {
      case CPU, MEMORY -> "%";
      case REQUESTS -> " req/s per instance";
      case P95 -> " ms";
      default -> " per instance";
    };
  }
}
