package dev.berth.server.cluster;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.node.NodeInfo.Capacity;
import dev.berth.server.charts.NodeReading;

/**
 * A node as {@code GET /api/v1/nodes} shows it: every field of {@link NodeInfo} at the top level
 * (where {@code usage} is, as before, the sum of the instances' guarantees), and side by side with
 * {@code allocatable}: {@code requested} (that same sum) and {@code used} (what the metric source
 * last measured; absent when it cannot be read, with {@code usedUnavailable} saying why).
 */
public record NodeJson(
    @JsonUnwrapped NodeInfo node, Capacity requested, Used used, String usedUnavailable) {

  /** Measured use: CPU in cores and memory in MiB, each null when not measured. */
  public record Used(Double cpu, Long memoryMiB) {}

  static NodeJson of(NodeInfo n, NodeReading reading, String unavailable) {
    Used used =
        reading == null || (reading.cpuCores() == null && reading.memoryMiB() == null)
            ? null
            : new Used(reading.cpuCores(), reading.memoryMiB());
    return new NodeJson(
        n,
        n.usage(),
        used,
        used == null ? (unavailable == null ? "not measured yet" : unavailable) : null);
  }
}
