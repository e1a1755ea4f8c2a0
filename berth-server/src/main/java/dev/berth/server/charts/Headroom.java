package dev.berth.server.charts;

import dev.berth.core.node.NodeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much of one resource of a node is taken and how much is left. For CPU and memory the taken
 * part is the larger of what instances were guaranteed (requested) and what they use; for
 * processes, conntrack entries, image storage and disk it is what the node measured against its
 * limit. {@code percent} is null when it is unknown.
 */
public record Headroom(
    String resource, String requested, String used, String limit, Double percent) {

  /** The part left, in percent, or null. */
  public Double headroomPercent() {
    return percent == null ? null : Math.max(0, 100 - percent);
  }

  /** {@code fail} from 90 % taken, {@code warn} from 80 %, {@code ok} below, {@code unknown}. */
  public String level() {
    if (percent == null) {
      return "unknown";
    }
    return percent >= 90 ? "fail" : percent >= 80 ? "warn" : "ok";
  }

  /** The rows of a node's headroom view. */
  public static List<Headroom> of(NodeInfo node, NodeReading r) {
    List<Headroom> rows = new ArrayList<>();
    double cpuRequested = node.usage() == null ? 0 : node.usage().cpu();
    double cpuAllocatable = node.allocatable() == null ? 0 : node.allocatable().cpu();
    rows.add(
        new Headroom(
            "CPU",
            cores(cpuRequested),
            r.cpuCores() == null ? "–" : cores(r.cpuCores()),
            cores(cpuAllocatable),
            taken(cpuRequested, r.cpuCores(), cpuAllocatable)));
    double memRequested = node.usage() == null ? 0 : node.usage().memoryMiB();
    double memAllocatable = node.allocatable() == null ? 0 : node.allocatable().memoryMiB();
    Long memUsed = r.memoryMiB();
    rows.add(
        new Headroom(
            "Memory",
            (long) memRequested + " MiB",
            memUsed == null ? "–" : memUsed + " MiB",
            (long) memAllocatable + " MiB",
            taken(memRequested, memUsed == null ? null : memUsed.doubleValue(), memAllocatable)));
    rows.add(measured("Threads (PIDs)", r.pids(), r.pidMax(), false));
    rows.add(measured("Conntrack entries", r.conntrack(), r.conntrackLimit(), false));
    rows.add(measured("Image storage", r.imageStoreUsed(), r.imageStoreSize(), true));
    rows.add(measured("Disk", r.diskUsed(), r.diskSize(), true));
    return rows;
  }

  private static Double taken(double requested, Double used, double allocatable) {
    if (allocatable <= 0) {
      return null;
    }
    double taken = used == null ? requested : Math.max(requested, used);
    return 100.0 * taken / allocatable;
  }

  private static Headroom measured(String resource, Double used, Double limit, boolean bytes) {
    return new Headroom(
        resource,
        "–",
        used == null ? "–" : bytes ? bytes(used) : count(used),
        limit == null ? "–" : bytes ? bytes(limit) : count(limit),
        NodeReading.percent(used, limit));
  }

  private static String cores(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String count(double v) {
    return String.format(Locale.ROOT, "%,d", Math.round(v));
  }

  static String bytes(double v) {
    double gib = v / (1024.0 * 1024 * 1024);
    return gib >= 1
        ? String.format(Locale.ROOT, "%.1f GiB", gib)
        : String.format(Locale.ROOT, "%.0f MiB", v / (1024.0 * 1024));
  }
}
