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
    List<Condition> conditions,
    Details details) {

  /** A node without details beyond its conditions. */
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
      String runtimeVersion,
      List<Condition> conditions) {
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
        conditions,
        Details.NONE);
  }

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
    details = details == null ? Details.NONE : details;
  }

  /** This node with other details. */
  public NodeInfo withDetails(Details d) {
    return copy(labels, usage, schedulable, d);
  }

  /** This node with another sum of its instances' guarantees. */
  public NodeInfo withUsage(Capacity requested) {
    return copy(labels, requested, schedulable, details);
  }

  /** This node with other labels. */
  public NodeInfo withLabels(Map<String, String> l) {
    return copy(l, usage, schedulable, details);
  }

  /** This node taking new instances or not (cordoned). */
  public NodeInfo withSchedulable(boolean s) {
    return copy(labels, usage, s, details);
  }

  private NodeInfo copy(Map<String, String> l, Capacity requested, boolean s, Details d) {
    return new NodeInfo(
        cluster,
        name,
        ip,
        zone,
        l,
        pool,
        capacity,
        allocatable,
        requested,
        s,
        ready,
        runtimeVersion,
        conditions,
        d);
  }

  /**
   * What a node view shows beyond capacity: {@code limits} (the sum of the instances' limits, null
   * when not known), the number of Berth {@code instances} and runs on it, its {@code taints}, and
   * {@code headroom}: how many more pods, pids and conntrack entries fit (null where not known).
   */
  public record Details(Capacity limits, int instances, List<Taint> taints, Headroom headroom) {
    public static final Details NONE = new Details(null, 0, List.of(), null);

    public Details {
      taints = taints == null ? List.of() : List.copyOf(taints);
    }
  }

  /** A taint as Kubernetes spells it: {@code key=value:NoSchedule}. */
  public record Taint(String key, String value, String effect) {}

  /** Free slots of the node's countable limits; each null when the runtime cannot tell. */
  public record Headroom(Integer pods, Long pids, Long conntrack) {}

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
