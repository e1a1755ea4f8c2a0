package dev.berth.runtime.kubernetes;

import dev.berth.core.node.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.TreeMap;

/** Reads a Kubernetes node as a Berth {@link NodeInfo}. Pure. */
final class NodeMapper {
  private NodeMapper() {}

  static NodeInfo node(String cluster, Node n) {
    Map<String, String> labels =
        n.getMetadata().getLabels() == null ? Map.of() : new TreeMap<>(n.getMetadata().getLabels());
    var status = n.getStatus();
    String ip =
        status == null || status.getAddresses() == null
            ? null
            : status.getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType()))
                .map(a -> a.getAddress())
                .findFirst()
                .orElse(null);
    boolean ready =
        status != null
            && status.getConditions() != null
            && status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    boolean unschedulable =
        n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
    return new NodeInfo(
        cluster,
        n.getMetadata().getName(),
        ip,
        labels.get(Labels.ZONE),
        labels,
        labels.get(Labels.POOL),
        status == null ? null : capacity(status.getCapacity()),
        status == null ? null : capacity(status.getAllocatable()),
        null,
        !unschedulable && ready,
        ready,
        status == null || status.getNodeInfo() == null
            ? null
            : status.getNodeInfo().getContainerRuntimeVersion(),
        status == null || status.getConditions() == null
            ? java.util.List.of()
            : status.getConditions().stream()
                .map(
                    c ->
                        new NodeInfo.Condition(
                            c.getType(),
                            c.getStatus(),
                            c.getReason(),
                            c.getMessage(),
                            heartbeat(c.getLastHeartbeatTime())))
                .toList());
  }

  /** An RFC 3339 heartbeat time, or null when absent or unreadable. */
  static java.time.Instant heartbeat(String time) {
    if (time == null || time.isBlank()) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(time).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  static NodeInfo.Capacity capacity(Map<String, Quantity> q) {
    if (q == null) {
      return null;
    }
    double cpu = q.containsKey("cpu") ? q.get("cpu").getNumericalAmount().doubleValue() : 0;
    long mem =
        q.containsKey("memory")
            ? q.get("memory").getNumericalAmount().longValue() / (1024 * 1024)
            : 0;
    int pods = q.containsKey("pods") ? q.get("pods").getNumericalAmount().intValue() : 0;
    return new NodeInfo.Capacity(cpu, mem, pods);
  }
}
