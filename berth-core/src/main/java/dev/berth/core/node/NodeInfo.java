package dev.berth.core.node;

import java.util.List;
import java.util.Map;

/**
 * A machine of a cluster: its capacity, what can be allocated to instances, what is in use, labels
 * (e.g. {@code disk=ssd}) and pool, and whether new instances may be placed on it.
 */
public record NodeInfo(
    String cluster,
    String name,
    String ip,
    String zone,
    Map<String, String> labels,
    String pool,
    Capacity capacity,
    Capacity allocatable,
    Capacity usage,
    boolean schedulable,
    boolean ready,
    String runtimeVersion,
    List<Condition> conditions) {

  /** A node without reported conditions (a runtime that has none to report). */
  public NodeInfo(
      String cluster,
      String name,
      String ip,
      String zone,
      Map<String, String> labels,
      String pool,
      Capacity capacity,
      Capacity allocatable,
      Capacity usage,
      boolean schedulable,
      boolean ready,
      String runtimeVersion) {
    this(
        cluster,
        name,
        ip,
        zone,
        labels,
        pool,
        capacity,
        allocatable,
        usage,
        schedulable,
        ready,
        runtimeVersion,
        List.of());
  }

  public NodeInfo {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  /**
   * A condition as the cluster reports it, e.g. {@code Ready=True} or {@code MemoryPressure=False},
   * with the node's last heartbeat for it by the node's own clock (null when not reported).
   */
  public record Condition(
      String type, String status, String reason, String message, java.time.Instant lastHeartbeat) {
    /** A condition without a heartbeat time. */
    public Condition(String type, String status, String reason, String message) {
      this(type, status, reason, message, null);
    }
  }

  /** CPU in cores, memory in MiB, instance slots. */
  public record Capacity(double cpu, long memoryMiB, int pods) {}
}
