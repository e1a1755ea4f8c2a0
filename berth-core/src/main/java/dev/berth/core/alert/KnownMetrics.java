package dev.berth.core.alert;

import dev.berth.core.metrics.MetricNames;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names alert rules may name: those of Berth's collectors ({@link MetricNames}) and the
 * status series Berth derives itself ({@code berth_instance_ready}, {@code berth_node_ready}).
 */
public final class KnownMetrics {
  public static final String NODE_CONNTRACK_ENTRIES = MetricNames.NODE_CONNTRACK_ENTRIES;
  public static final String NODE_CONNTRACK_LIMIT = MetricNames.NODE_CONNTRACK_LIMIT;
  public static final String NODE_PIDS = MetricNames.NODE_PIDS;
  public static final String NODE_PID_MAX = MetricNames.NODE_PID_MAX;
  public static final String NODE_IMAGE_STORE_USED = MetricNames.NODE_IMAGE_STORE_USED;
  public static final String NODE_IMAGE_STORE_SIZE = MetricNames.NODE_IMAGE_STORE_SIZE;
  public static final String INSTANCE_OOM_KILLS = MetricNames.INSTANCE_OOM_KILLS;
  public static final String INSTANCE_RESTARTS = MetricNames.INSTANCE_RESTARTS;
  public static final String NODE_READY = "berth_node_ready";
  public static final String INSTANCE_READY = "berth_instance_ready";

  /** Berth's status series, answered from what the runtimes observe. */
  public static final Set<String> STATUS = Set.of(NODE_READY, INSTANCE_READY);

  private KnownMetrics() {}

  /** Every collected name, the status series, and {@code more}. */
  public static Set<String> names(Set<String> more) {
    Set<String> all = new TreeSet<>(MetricNames.ALL);
    all.addAll(STATUS);
    all.addAll(more);
    return all;
  }
}
