package dev.berth.server.charts;

/**
 * The metric names the portal's charts, the Nodes page and the inspection read, as the collectors
 * record them (Prometheus' conventions: {@code berth_node_*} per host, {@code berth_instance_*} per
 * instance; counters end in {@code _total} or {@code _seconds_total}).
 */
public final class MetricNames {
  public static final String INSTANCE_CPU = "berth_instance_cpu_usage_seconds_total";
  public static final String INSTANCE_MEMORY = "berth_instance_memory_working_set_bytes";
  public static final String INSTANCE_MEMORY_LIMIT = "berth_instance_memory_limit_bytes";
  public static final String INSTANCE_RESTARTS = "berth_instance_restarts_total";
  public static final String INSTANCE_OOM_KILLS = "berth_instance_oom_kills_total";
  public static final String INSTANCE_PIDS = "berth_instance_pids";
  public static final String INSTANCE_PIDS_LIMIT = "berth_instance_pids_limit";

  public static final String NODE_CPU = "berth_node_cpu_seconds_total";
  public static final String NODE_CPUS = "berth_node_cpus";
  public static final String NODE_MEMORY_USED = "berth_node_memory_used_bytes";
  public static final String NODE_MEMORY_TOTAL = "berth_node_memory_total_bytes";
  public static final String NODE_CONNTRACK = "berth_node_conntrack_entries";
  public static final String NODE_CONNTRACK_LIMIT = "berth_node_conntrack_limit";
  public static final String NODE_PIDS = "berth_node_pids";
  public static final String NODE_PID_MAX = "berth_node_pid_max";
  public static final String NODE_IMAGE_STORE_USED = "berth_node_image_store_used_bytes";
  public static final String NODE_IMAGE_STORE_SIZE = "berth_node_image_store_size_bytes";
  public static final String NODE_DISK_USED = "berth_node_filesystem_used_bytes";
  public static final String NODE_DISK_SIZE = "berth_node_filesystem_size_bytes";

  private MetricNames() {}
}
