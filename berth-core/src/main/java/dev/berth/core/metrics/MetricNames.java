package dev.berth.core.metrics;

import java.util.List;
import java.util.Set;

/**
 * The names and labels of the metrics Berth measures itself, in Prometheus' conventions: {@code
 * berth_node_*} for hosts, {@code berth_instance_*} for app instances, {@code berth_run_*} for task
 * runs; a name ending in {@code _total} is a counter (only ever goes up, resets when its source
 * restarts), every other one is a gauge. Units are seconds and bytes. These names are stable:
 * charts, alert rules and outside Prometheus servers refer to them.
 */
public final class MetricNames {
  private MetricNames() {}

  // labels
  public static final String CLUSTER = "cluster";
  public static final String NODE = "node";
  public static final String APP = "app";
  public static final String INSTANCE = "instance";
  public static final String TEAM = "team";
  public static final String TASK = "task";
  public static final String RUN = "run";
  public static final String MODE = "mode";
  public static final String DEVICE = "device";
  public static final String MOUNTPOINT = "mountpoint";
  public static final String FSTYPE = "fstype";
  public static final String STATE = "state";

  // hosts
  /**
   * CPU time of all CPUs by {@code mode} (user, nice, system, idle, iowait, irq, softirq, steal).
   */
  public static final String NODE_CPU_SECONDS = "berth_node_cpu_seconds_total";

  /**
   * CPU in use now, in cores: from {@code metrics.k8s.io} on Kubernetes, the rate of {@link
   * #NODE_CPU_SECONDS} (all modes but idle and iowait) between two collections locally.
   */
  public static final String NODE_CPU_USAGE = "berth_node_cpu_usage_cores";

  /** Memory in use by the node's workloads and system (from {@code metrics.k8s.io}). */
  public static final String NODE_MEMORY_WORKING_SET = "berth_node_memory_working_set_bytes";

  /** The number of CPUs of the host. */
  public static final String NODE_CPUS = "berth_node_cpus";

  public static final String NODE_MEMORY_TOTAL = "berth_node_memory_total_bytes";
  public static final String NODE_MEMORY_AVAILABLE = "berth_node_memory_available_bytes";
  public static final String NODE_MEMORY_FREE = "berth_node_memory_free_bytes";
  public static final String NODE_MEMORY_CACHED = "berth_node_memory_cached_bytes";
  public static final String NODE_MEMORY_BUFFERS = "berth_node_memory_buffers_bytes";
  public static final String NODE_LOAD1 = "berth_node_load1";
  public static final String NODE_LOAD5 = "berth_node_load5";
  public static final String NODE_LOAD15 = "berth_node_load15";

  /** Per filesystem ({@code device}, {@code mountpoint}, {@code fstype}). */
  public static final String NODE_FILESYSTEM_SIZE = "berth_node_filesystem_size_bytes";

  public static final String NODE_FILESYSTEM_USED = "berth_node_filesystem_used_bytes";
  public static final String NODE_FILESYSTEM_AVAIL = "berth_node_filesystem_avail_bytes";

  /** The filesystem holding Berth's image store (pulled blobs and unpacked images). */
  public static final String NODE_IMAGE_STORE_SIZE = "berth_node_image_store_size_bytes";

  public static final String NODE_IMAGE_STORE_USED = "berth_node_image_store_used_bytes";
  public static final String NODE_IMAGE_STORE_AVAIL = "berth_node_image_store_avail_bytes";
  public static final String NODE_CONNTRACK_ENTRIES = "berth_node_conntrack_entries";
  public static final String NODE_CONNTRACK_LIMIT = "berth_node_conntrack_limit";

  /** Processes on the host (directories in {@code /proc}). */
  public static final String NODE_PIDS = "berth_node_pids";

  /** Threads (kernel scheduling entities) on the host; compared with {@link #NODE_PID_MAX}. */
  public static final String NODE_THREADS = "berth_node_threads";

  public static final String NODE_PID_MAX = "berth_node_pid_max";

  /** TCP sockets by {@code /proc/net/sockstat}: in use, orphaned, in TIME_WAIT, allocated. */
  public static final String NODE_TCP_INUSE = "berth_node_tcp_inuse";

  public static final String NODE_TCP_ORPHAN = "berth_node_tcp_orphan";
  public static final String NODE_TCP_TIME_WAIT = "berth_node_tcp_time_wait";
  public static final String NODE_TCP_ALLOC = "berth_node_tcp_alloc";

  /** TCP segments sent and retransmitted; their rates' ratio is the retransmission rate. */
  public static final String NODE_TCP_OUT_SEGMENTS = "berth_node_tcp_out_segments_total";

  public static final String NODE_TCP_RETRANSMITTED = "berth_node_tcp_retransmitted_segments_total";

  /** Per network {@code device} (loopback and container veths left out). */
  public static final String NODE_NETWORK_RECEIVE = "berth_node_network_receive_bytes_total";

  public static final String NODE_NETWORK_TRANSMIT = "berth_node_network_transmit_bytes_total";

  // instances (labels cluster, node, app, instance, team)
  public static final String INSTANCE_CPU_SECONDS = "berth_instance_cpu_seconds_total";

  /**
   * CPU in use now, in cores (from {@code metrics.k8s.io}, or the rate of {@link
   * #INSTANCE_CPU_SECONDS} between two collections locally): what a threshold rule compares.
   */
  public static final String INSTANCE_CPU_USAGE = "berth_instance_cpu_usage_cores";

  public static final String INSTANCE_CPU_THROTTLED = "berth_instance_cpu_throttled_seconds_total";
  public static final String INSTANCE_MEMORY_WORKING_SET =
      "berth_instance_memory_working_set_bytes";
  public static final String INSTANCE_MEMORY_LIMIT = "berth_instance_memory_limit_bytes";
  public static final String INSTANCE_PIDS = "berth_instance_pids";
  public static final String INSTANCE_PIDS_LIMIT = "berth_instance_pids_limit";
  public static final String INSTANCE_OOM_KILLS = "berth_instance_oom_kills_total";
  public static final String INSTANCE_RESTARTS = "berth_instance_restarts_total";

  // task runs (labels cluster, node, task, run, team)
  public static final String RUN_CPU_SECONDS = "berth_run_cpu_seconds_total";
  public static final String RUN_CPU_USAGE = "berth_run_cpu_usage_cores";
  public static final String RUN_CPU_THROTTLED = "berth_run_cpu_throttled_seconds_total";
  public static final String RUN_MEMORY_WORKING_SET = "berth_run_memory_working_set_bytes";
  public static final String RUN_MEMORY_LIMIT = "berth_run_memory_limit_bytes";
  public static final String RUN_PIDS = "berth_run_pids";
  public static final String RUN_PIDS_LIMIT = "berth_run_pids_limit";
  public static final String RUN_OOM_KILLS = "berth_run_oom_kills_total";

  /** Every name above, for validating a query or a rule. */
  public static final Set<String> ALL =
      Set.copyOf(
          List.of(
              NODE_CPU_SECONDS,
              NODE_CPUS,
              NODE_CPU_USAGE,
              NODE_MEMORY_WORKING_SET,
              NODE_MEMORY_TOTAL,
              NODE_MEMORY_AVAILABLE,
              NODE_MEMORY_FREE,
              NODE_MEMORY_CACHED,
              NODE_MEMORY_BUFFERS,
              NODE_LOAD1,
              NODE_LOAD5,
              NODE_LOAD15,
              NODE_FILESYSTEM_SIZE,
              NODE_FILESYSTEM_USED,
              NODE_FILESYSTEM_AVAIL,
              NODE_IMAGE_STORE_SIZE,
              NODE_IMAGE_STORE_USED,
              NODE_IMAGE_STORE_AVAIL,
              NODE_CONNTRACK_ENTRIES,
              NODE_CONNTRACK_LIMIT,
              NODE_PIDS,
              NODE_THREADS,
              NODE_PID_MAX,
              NODE_TCP_INUSE,
              NODE_TCP_ORPHAN,
              NODE_TCP_TIME_WAIT,
              NODE_TCP_ALLOC,
              NODE_TCP_OUT_SEGMENTS,
              NODE_TCP_RETRANSMITTED,
              NODE_NETWORK_RECEIVE,
              NODE_NETWORK_TRANSMIT,
              INSTANCE_CPU_SECONDS,
              INSTANCE_CPU_USAGE,
              INSTANCE_CPU_THROTTLED,
              INSTANCE_MEMORY_WORKING_SET,
              INSTANCE_MEMORY_LIMIT,
              INSTANCE_PIDS,
              INSTANCE_PIDS_LIMIT,
              INSTANCE_OOM_KILLS,
              INSTANCE_RESTARTS,
              RUN_CPU_SECONDS,
              RUN_CPU_USAGE,
              RUN_CPU_THROTTLED,
              RUN_MEMORY_WORKING_SET,
              RUN_MEMORY_LIMIT,
              RUN_PIDS,
              RUN_PIDS_LIMIT,
              RUN_OOM_KILLS));

  /** Whether {@code name} is a counter by Prometheus' naming convention. */
  public static boolean isCounter(String name) {
    return name.endsWith("_total");
  }
}
