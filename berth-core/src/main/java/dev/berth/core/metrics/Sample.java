package dev.berth.core.metrics;

import java.time.Instant;
import java.util.Map;

/**
 * One value of one series at one time. {@code name} follows Prometheus' conventions ({@code
 * berth_node_*}, {@code berth_instance_*}); {@code labels} name where it was measured ({@code
 * cluster}, {@code node}, {@code app}, {@code instance}, {@code team}).
 */
public record Sample(String name, Map<String, String> labels, double value, Instant at) {
  public Sample {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
