package dev.berth.core.alert;

import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names alert rules may name: those of Berth's collectors (hosts and instances) and the
 * status series Berth derives itself ({@code berth_instance_ready}, {@code berth_node_ready}).
 */
public final class KnownMetrics {
  public static final String NODE_CONNTRACK_ENTRIES = "berth_node_conntrack_entries";
  public static final String NODE_CONNTRACK_LIMIT = "berth_node_conntrack_limit";
  public static final String NODE_PIDS = "berth_node_pids";
  public static final String NODE_PID_MAX = "berth_node_pid_max";
  public static final String NODE_IMAGE_STORE_USED = "berth_node_image_store_used_bytes";
  public static final String NODE_IMAGE_STORE_SIZE = "berth_node_image_store_size_bytes";
  public static final String NODE_READY = "berth_node_ready";
  public static final String INSTANCE_OOM_KILLS = "berth_instance_oom_kills_total";
  public static final String INSTANCE_RESTARTS = "berth_instance_restarts_total";
  public static final String INSTANCE_READY = "berth_instance_ready";

  /** Berth's status series, answered from what the runtimes observe. */
  public static final Set<String> STATUS = Set.of(NODE_READY, INSTANCE_READY);

  private static final Set<String> COLLECTED =
      Set.of(
          NODE_CONNTRACK_ENTRIES,
          NODE_CONNTRACK_LIMIT,
          NODE_PIDS,
          NODE_PID_MAX,
          NODE_IMAGE_STORE_USED,
          NODE_IMAGE_STORE_SIZE,
          INSTANCE_OOM_KILLS,
          INSTANCE_RESTARTS,
          "berth_node_cpu_seconds_total",
          "berth_node_memory_used_bytes",
          "berth_node_memory_total_bytes",
          "berth_node_load1",
          "berth_node_filesystem_used_bytes",
          "berth_node_filesystem_size_bytes",
          "berth_instance_cpu_seconds_total",
          "berth_instance_cpu_throttled_seconds_total",
          "berth_instance_memory_working_set_bytes",
          "berth_instance_memory_limit_bytes",
          "berth_instance_pids",
          "berth_instance_pids_limit");

  private KnownMetrics() {}

  /** Every known name, plus {@code more} (names a metric source reports). */
  public static Set<String> names(Set<String> more) {
    Set<String> all = new TreeSet<>(COLLECTED);
    all.addAll(STATUS);
    all.addAll(more);
    return all;
  }
}
