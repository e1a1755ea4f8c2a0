package dev.berth.runtime.local.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host's cgroup file system as the local runtime reads it: OOM kills, usage and limits of a
 * container's cgroup, the host's CPUs, and clean-up of directories runc left behind. Two
 * implementations follow the host's mode: {@link CgroupV1} (one hierarchy per controller, the
 * default of older distributions and of hybrid hosts) and {@link CgroupV2} (the unified hierarchy
 * Debian 12, Ubuntu 22.04+ and RHEL 9 boot with). Limits are written by runc from the bundle's
 * {@code config.json} (runc translates the OCI values for cgroup v2: shares to {@code cpu.weight},
 * quota and period to {@code cpu.max}, memory to {@code memory.max}, pids to {@code pids.max});
 * this type reads them back.
 *
 * <p>A path is a cgroup path as in the bundle's {@code linux.cgroupsPath}, e.g. {@code
 * /berth/web-0}. Reads never throw: a missing or unreadable file (a kernel without that controller,
 * a container already gone) gives an empty value or 0, so a caller never loops on an error.
 * Thread-safe.
 */
public sealed interface Cgroups permits CgroupV1, CgroupV2 {

  /** The cgroup mode of a host. */
  enum Mode {
    V1,
    V2
  }

  /** The host's cgroups at {@code /sys/fs/cgroup}. */
  static Cgroups host() {
    return detect(Path.of("/sys/fs/cgroup"));
  }

  /**
   * The cgroups mounted at {@code root}: the unified hierarchy when {@code root} itself holds
   * {@code cgroup.controllers} (cgroup v2 only), otherwise one directory per controller (v1 or
   * hybrid).
   */
  static Cgroups detect(Path root) {
    return Files.exists(root.resolve("cgroup.controllers"))
        ? new CgroupV2(root)
        : new CgroupV1(root);
  }

  Mode mode();

  /** How many times the kernel's OOM killer killed a process in this cgroup; 0 when unknown. */
  long oomKills(String path);

  /** Memory, CPU time and process count of the cgroup now; empty when it does not exist. */
  Optional<Usage> usage(String path);

  /** The limits the kernel enforces on the cgroup; empty when it does not exist. */
  Optional<Limits> limits(String path);

  /** Whether any directory of this cgroup exists (in any controller's hierarchy). */
  boolean exists(String path);

  /**
   * Removes the cgroup's directories if they are empty (runc's delete removes them; this is the
   * safety net after a failed create). Never kills processes; a directory still in use stays.
   *
   * @return whether no directory of the cgroup is left
   */
  boolean removeIfEmpty(String path);

  /** The processes in the cgroup (its {@code cgroup.procs}); empty when it does not exist. */
  List<Integer> pids(String path);

  /** Every cgroup directory below {@code parent}, as cgroup paths (e.g. leftovers in a test). */
  List<String> children(String parent);

  /** The CPUs this host lets its cgroups use (e.g. {@code 0-3}), empty when not readable. */
  Optional<String> hostCpus();

  /**
   * The cgroup's counters for metrics; empty when the cgroup does not exist. Each field is empty
   * when this kernel lacks its file (or, for limits, when there is no limit).
   */
  Optional<Stats> stats(String path);

  /**
   * Counters of a cgroup for metrics.
   *
   * @param cpuMicros CPU time used
   * @param throttledMicros time the CPU quota held the cgroup back
   * @param workingSetBytes memory in use minus inactive page cache (what the OOM killer weighs, as
   *     cAdvisor and the kubelet count it)
   * @param memoryLimitBytes the memory limit; empty when unlimited
   * @param pids processes and threads in the cgroup
   * @param pidsLimit their limit; empty when unlimited
   * @param oomKills processes the OOM killer killed in this cgroup
   */
  record Stats(
      java.util.OptionalLong cpuMicros,
      java.util.OptionalLong throttledMicros,
      java.util.OptionalLong workingSetBytes,
      java.util.OptionalLong memoryLimitBytes,
      java.util.OptionalLong pids,
      java.util.OptionalLong pidsLimit,
      java.util.OptionalLong oomKills) {}

  /**
   * Usage of a cgroup. {@code memoryBytes} counts page cache too, as the kernel's own counter does.
   */
  record Usage(long memoryBytes, long cpuMicros, long pids) {}

  /**
   * Limits of a cgroup; {@code -1} stands for "no limit".
   *
   * @param cpuWeight the relative CPU weight in the mode's own unit: {@code cpu.shares} (2–262144)
   *     in v1, {@code cpu.weight} (1–10000) in v2
   */
  record Limits(
      long memoryBytes,
      long cpuQuotaMicros,
      long cpuPeriodMicros,
      long cpuWeight,
      long pidsMax,
      String cpus) {}

  /** The v2 {@code cpu.weight} runc writes for an OCI {@code cpu.shares} value. */
  static long weightForShares(long shares) {
    if (shares == 0) {
      return 0;
    }
    return 1 + ((shares - 2) * 9999) / 262142;
  }
}
