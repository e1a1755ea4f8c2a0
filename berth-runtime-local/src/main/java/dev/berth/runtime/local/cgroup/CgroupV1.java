package dev.berth.runtime.local.cgroup;

import static dev.berth.runtime.local.cgroup.CgroupFiles.keyed;
import static dev.berth.runtime.local.cgroup.CgroupFiles.number;
import static dev.berth.runtime.local.cgroup.CgroupFiles.read;
import static dev.berth.runtime.local.cgroup.CgroupFiles.relative;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * cgroup v1: a hierarchy per controller under the root ({@code memory/}, {@code cpu/} …, and on
 * hybrid hosts the v2 hierarchy {@code unified/}, where runc makes a directory too; on many hosts
 * {@code cpu} and {@code cpuacct} are links to {@code cpu,cpuacct}). OOM kills come from {@code
 * memory.oom_control}'s {@code oom_kill} counter (not {@code memory.failcnt}, which counts reclaim
 * attempts).
 */
public final class CgroupV1 implements Cgroups {
  /** Controllers runc creates a directory in for every container. */
  static final List<String> CONTROLLERS =
      List.of(
          "cpu",
          "cpuacct",
          "cpuset",
          "memory",
          "pids",
          "devices",
          "freezer",
          "blkio",
          "net_cls",
          "net_prio",
          "perf_event",
          "hugetlb",
          "systemd",
          "rdma",
          "misc",
          "unified");

  private final Path root;

  public CgroupV1(Path root) {
    this.root = root;
  }

  @Override
  public Mode mode() {
    return Mode.V1;
  }

  private Path dir(String controller, String path) {
    return root.resolve(controller).resolve(relative(path));
  }

  @Override
  public long oomKills(String path) {
    return keyed(dir("memory", path).resolve("memory.oom_control"), "oom_kill").orElse(0L);
  }

  @Override
  public Optional<Usage> usage(String path) {
    if (!exists(path)) {
      return Optional.empty();
    }
    long memory = number(dir("memory", path).resolve("memory.usage_in_bytes")).orElse(0L);
    long cpuNanos = number(dir("cpuacct", path).resolve("cpuacct.usage")).orElse(0L);
    long pids = number(dir("pids", path).resolve("pids.current")).orElse(0L);
    return Optional.of(new Usage(memory, cpuNanos / 1000, pids));
  }

  @Override
  public Optional<Limits> limits(String path) {
    if (!exists(path)) {
      return Optional.empty();
    }
    long memory =
        number(dir("memory", path).resolve("memory.limit_in_bytes"))
            .map(CgroupV1::unlimitedAsMinusOne)
            .orElse(-1L);
    long quota = number(dir("cpu", path).resolve("cpu.cfs_quota_us")).orElse(-1L);
    long period = number(dir("cpu", path).resolve("cpu.cfs_period_us")).orElse(-1L);
    long shares = number(dir("cpu", path).resolve("cpu.shares")).orElse(-1L);
    long pids = number(dir("pids", path).resolve("pids.max")).orElse(-1L);
    String cpus = read(dir("cpuset", path).resolve("cpuset.cpus")).orElse("");
    return Optional.of(new Limits(memory, quota, period, shares, pids, cpus));
  }

  /** v1 reports "no memory limit" as the largest page-aligned long. */
  private static long unlimitedAsMinusOne(long bytes) {
    return bytes >= Long.MAX_VALUE - (1L << 20) ? -1 : bytes;
  }

  @Override
  public boolean exists(String path) {
    return CONTROLLERS.stream().anyMatch(c -> Files.isDirectory(dir(c, path)));
  }

  @Override
  public boolean removeIfEmpty(String path) {
    for (String c : CONTROLLERS) {
      Path d = dir(c, path);
      if (Files.isDirectory(d)) {
        CgroupFiles.removeEmptyDir(d);
      }
    }
    return !exists(path);
  }

  @Override
  public List<Integer> pids(String path) {
    return CgroupFiles.procs(dir("pids", path).resolve("cgroup.procs"));
  }

  @Override
  public List<String> children(String parent) {
    Set<String> all = new LinkedHashSet<>();
    for (String c : CONTROLLERS) {
      Path base = root.resolve(c);
      for (String child : CgroupFiles.subdirs(base, base.resolve(relative(parent)))) {
        all.add(child);
      }
    }
    return new ArrayList<>(all);
  }

  /**
   * {@inheritDoc}
   *
   * <p>OOM kills are {@code memory.oom_control}'s {@code oom_kill} (Linux 4.13 and later); older
   * kernels have no kill counter ({@code under_oom} is a state and {@code memory.failcnt} counts
   * reclaim attempts at the limit, not kills), so the value is absent there. Throttling is {@code
   * cpu.stat}'s {@code throttled_time} (nanoseconds).
   */
  @Override
  public Optional<Stats> stats(String path) {
    if (!exists(path)) {
      return Optional.empty();
    }
    Path memory = dir("memory", path);
    return Optional.of(
        new Stats(
            CgroupFiles.of(
                number(dir("cpuacct", path).resolve("cpuacct.usage")).map(n -> n / 1000)),
            CgroupFiles.of(
                keyed(dir("cpu", path).resolve("cpu.stat"), "throttled_time").map(n -> n / 1000)),
            CgroupFiles.workingSet(
                number(memory.resolve("memory.usage_in_bytes")),
                keyed(memory.resolve("memory.stat"), "total_inactive_file")),
            CgroupFiles.limit(number(memory.resolve("memory.limit_in_bytes"))),
            CgroupFiles.of(number(dir("pids", path).resolve("pids.current"))),
            CgroupFiles.limit(number(dir("pids", path).resolve("pids.max"))),
            CgroupFiles.of(keyed(memory.resolve("memory.oom_control"), "oom_kill"))));
  }

  @Override
  public Optional<String> hostCpus() {
    return read(root.resolve("cpuset").resolve("cpuset.cpus")).filter(s -> !s.isBlank());
  }
}
