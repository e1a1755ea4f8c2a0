package dev.berth.runtime.local.cgroup;

import static dev.berth.runtime.local.cgroup.CgroupFiles.keyed;
import static dev.berth.runtime.local.cgroup.CgroupFiles.number;
import static dev.berth.runtime.local.cgroup.CgroupFiles.read;
import static dev.berth.runtime.local.cgroup.CgroupFiles.relative;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * cgroup v2: one unified hierarchy. OOM kills come from {@code memory.events}' {@code oom_kill}
 * counter (which, unlike {@code oom}, counts processes actually killed); CPU time from {@code
 * cpu.stat}'s {@code usage_usec}; limits from {@code memory.max}, {@code cpu.max} ({@code
 * "<quota|max> <period>"}), {@code cpu.weight}, {@code pids.max} and {@code cpuset.cpus}.
 */
public final class CgroupV2 implements Cgroups {
  private final Path root;

  public CgroupV2(Path root) {
    this.root = root;
  }

  @Override
  public Mode mode() {
    return Mode.V2;
  }

  private Path dir(String path) {
    return root.resolve(relative(path));
  }

  @Override
  public long oomKills(String path) {
    return keyed(dir(path).resolve("memory.events"), "oom_kill").orElse(0L);
  }

  @Override
  public Optional<Usage> usage(String path) {
    Path d = dir(path);
    if (!Files.isDirectory(d)) {
      return Optional.empty();
    }
    long memory = number(d.resolve("memory.current")).orElse(0L);
    long cpu = keyed(d.resolve("cpu.stat"), "usage_usec").orElse(0L);
    long pids = number(d.resolve("pids.current")).orElse(0L);
    return Optional.of(new Usage(memory, cpu, pids));
  }

  @Override
  public Optional<Limits> limits(String path) {
    Path d = dir(path);
    if (!Files.isDirectory(d)) {
      return Optional.empty();
    }
    long memory = number(d.resolve("memory.max")).orElse(-1L);
    long quota = -1;
    long period = -1;
    Optional<String> cpuMax = read(d.resolve("cpu.max"));
    if (cpuMax.isPresent()) {
      String[] qp = cpuMax.get().split("\\s+");
      quota = CgroupFiles.parse(qp[0]).orElse(-1L);
      period = qp.length > 1 ? CgroupFiles.parse(qp[1]).orElse(-1L) : -1;
    }
    long weight = number(d.resolve("cpu.weight")).orElse(-1L);
    long pids = number(d.resolve("pids.max")).orElse(-1L);
    String cpus = read(d.resolve("cpuset.cpus")).orElse("");
    return Optional.of(new Limits(memory, quota, period, weight, pids, cpus));
  }

  @Override
  public boolean exists(String path) {
    return Files.isDirectory(dir(path));
  }

  @Override
  public boolean removeIfEmpty(String path) {
    return CgroupFiles.removeEmptyDir(dir(path));
  }

  @Override
  public List<Integer> pids(String path) {
    return CgroupFiles.procs(dir(path).resolve("cgroup.procs"));
  }

  @Override
  public List<String> children(String parent) {
    return CgroupFiles.subdirs(root, dir(parent));
  }

  @Override
  public Optional<Stats> stats(String path) {
    Path d = dir(path);
    if (!Files.isDirectory(d)) {
      return Optional.empty();
    }
    Path cpuStat = d.resolve("cpu.stat");
    return Optional.of(
        new Stats(
            CgroupFiles.of(keyed(cpuStat, "usage_usec")),
            CgroupFiles.of(keyed(cpuStat, "throttled_usec")),
            CgroupFiles.workingSet(
                number(d.resolve("memory.current")),
                keyed(d.resolve("memory.stat"), "inactive_file")),
            CgroupFiles.limit(number(d.resolve("memory.max"))),
            CgroupFiles.of(number(d.resolve("pids.current"))),
            CgroupFiles.limit(number(d.resolve("pids.max"))),
            CgroupFiles.of(keyed(d.resolve("memory.events"), "oom_kill"))));
  }

  @Override
  public Optional<String> hostCpus() {
    return read(root.resolve("cpuset.cpus.effective")).filter(s -> !s.isBlank());
  }
}
