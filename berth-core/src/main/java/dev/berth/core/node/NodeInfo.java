package dev.berth.core.node;

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
    String runtimeVersion) {

  /** CPU in cores, memory in MiB, instance slots. */
  public record Capacity(double cpu, long memoryMiB, int pods) {}
}
