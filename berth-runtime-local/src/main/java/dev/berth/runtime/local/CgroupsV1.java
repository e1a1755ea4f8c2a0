package dev.berth.runtime.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Container cgroups on a cgroup v1 host: one directory per controller under {@code
 * /sys/fs/cgroup/<controller>/<parent>/<id>}; OOM kills from {@code memory.oom_control}'s {@code
 * oom_kill} line.
 */
final class CgroupsV1 implements ContainerCgroups {
  private static final List<String> CONTROLLERS = List.of(
      "cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer", "blkio", "net_cls", "net_prio", "perf_event", "hugetlb", "systemd", "rdma");
  private final Path root;
  private final String parent;

  CgroupsV1(Path root, String parent) {
    this.root = root;
    this.parent = parent;
  }

  static CgroupsV1 forHost(String parent) {
    return new CgroupsV1(Path.of("/sys/fs/cgroup"), parent);
  }

  @Override
  public String path(String id) {
    return "/" + parent + "/" + id;
  }

  @Override
  public long oomKills(String id) {
    Path f = root.resolve("memory").resolve(parent).resolve(id).resolve("memory.oom_control");
    try {
      return Files.readAllLines(f).stream().filter(l -> l.startsWith("oom_kill ")).mapToLong(l -> Long.parseLong(l.substring(9).trim())).findFirst().orElse(0);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void remove(String id) {
    for (String ctl : CONTROLLERS) {
      try {
        Files.deleteIfExists(root.resolve(ctl).resolve(parent).resolve(id));
      } catch (IOException ignored) {
        // not empty or not there: runc delete is the real cleanup, this is a safety net
      }
    }
  }

  @Override
  public boolean exists(String id) {
    return CONTROLLERS.stream().anyMatch(ctl -> Files.isDirectory(root.resolve(ctl).resolve(parent).resolve(id)));
  }
}
