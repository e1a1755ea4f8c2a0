package dev.berth.runtime.local;

import dev.berth.core.app.Resources;
import dev.berth.core.node.NodeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the local node view shows beyond capacity: the sum of the limits of its instances and runs
 * (CPU of those that have a limit, memory of all, one slot each), how many there are, and the
 * headroom of slots, pids ({@code kernel.pid_max} minus the host's tasks) and conntrack entries
 * ({@code nf_conntrack_max} minus {@code nf_conntrack_count}; null without the conntrack module).
 */
final class LocalNodeDetails {
  private LocalNodeDetails() {}

  /** The kernel's counters this view reads, each null when the host does not report it. */
  record HostCounters(Long pidMax, Long tasks, Long conntrackMax, Long conntrackCount) {
    /** Reads them from {@code proc} (normally {@code /proc}). */
    static HostCounters read(Path proc) {
      return new HostCounters(
          number(proc.resolve("sys/kernel/pid_max")),
          text(proc.resolve("loadavg")).map(LocalNodeDetails::tasksOfLoadavg).orElse(null),
          number(proc.resolve("sys/net/netfilter/nf_conntrack_max")),
          number(proc.resolve("sys/net/netfilter/nf_conntrack_count")));
    }
  }

  /** The details of a node running {@code running} with {@code allocatablePods} slots. */
  static NodeInfo.Details of(List<Resources> running, int allocatablePods, HostCounters c) {
    double cpu = 0;
    long mem = 0;
    for (Resources r : running) {
      cpu += r.cpuLimit();
      mem += r.memoryMiB();
    }
    NodeInfo.Capacity limits = new NodeInfo.Capacity(cpu, mem, running.size());
    NodeInfo.Headroom headroom =
        new NodeInfo.Headroom(
            Math.max(0, allocatablePods - running.size()),
            c.pidMax() == null || c.tasks() == null ? null : Math.max(0, c.pidMax() - c.tasks()),
            c.conntrackMax() == null || c.conntrackCount() == null
                ? null
                : Math.max(0, c.conntrackMax() - c.conntrackCount()));
    return new NodeInfo.Details(limits, running.size(), List.of(), headroom);
  }

  /** The number of tasks (threads) on the host: the 4th field of loadavg, "running/total". */
  static Long tasksOfLoadavg(String loadavg) {
    String[] f = loadavg.trim().split("\\s+");
    if (f.length < 4 || f[3].indexOf('/') < 0) {
      return null;
    }
    try {
      return Long.parseLong(f[3].substring(f[3].indexOf('/') + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long number(Path p) {
    return text(p)
        .map(
            s -> {
              try {
                return Long.parseLong(s.trim());
              } catch (NumberFormatException e) {
                return null;
              }
            })
        .orElse(null);
  }

  /** The file's text, read line by line: procfs reports a size of 0, which readString trusts. */
  private static Optional<String> text(Path p) {
    try {
      return Optional.of(String.join("\n", Files.readAllLines(p)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
