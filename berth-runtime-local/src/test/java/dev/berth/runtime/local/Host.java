package dev.berth.runtime.local;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.event.Event;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.Observation.Happened;
import dev.berth.core.time.SystemScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One isolated local runtime for an IT class: its own data dir, runc root, bridge, subnet and cgroup
 * parent; {@link #teardown()} removes every trace (containers, mounts, netns, bridge, cgroups).
 */
final class Host {
  final Path dir;
  final LocalRuntimeConfig config;
  final BusyboxImages images;
  final List<Observation> seen = new CopyOnWriteArrayList<>();
  final SystemScheduler scheduler = new SystemScheduler("berth-it");
  LocalRuntime runtime;

  Host(Path dir, int n) {
    assumeTrue(isRoot(), "needs root for runc, mounts and network namespaces");
    assumeTrue(Cmd.run("runc", "--version").ok(), "needs runc on PATH");
    assumeTrue(BusyboxImages.available(), "needs a static /bin/busybox");
    this.dir = dir;
    this.images = new BusyboxImages(dir);
    this.config = LocalRuntimeConfig.defaults("local", dir.resolve("data"))
        .withNetwork("bt" + n + "br", "10.201." + n + ".0/24")
        .withCgroupParent("berth-it-" + n)
        .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2));
  }

  LocalRuntime start() {
    runtime = new LocalRuntime(config, images, scheduler);
    runtime.observe(seen::add);
    return runtime;
  }

  List<Event> events(String instanceId) {
    return seen.stream().filter(o -> o instanceof Happened).map(o -> ((Happened) o).event()).filter(e -> e.name().equals(instanceId)).toList();
  }

  List<String> reasons(String instanceId) {
    return events(instanceId).stream().map(Event::reason).toList();
  }

  /** Removes everything the runtime made, whatever state it is in. */
  void teardown() throws IOException {
    if (runtime != null) {
      runtime.close();
    }
    scheduler.close();
    Path root = config.runcRoot();
    if (Files.isDirectory(root)) {
      try (var ids = Files.list(root)) {
        for (Path p : ids.toList()) {
          String id = p.getFileName().toString();
          Cmd.run("runc", "--root", root.toString(), "kill", id, "KILL");
          Cmd.run("runc", "--root", root.toString(), "delete", "--force", id);
        }
      }
    }
    Path pids = Path.of("/sys/fs/cgroup/pids", config.cgroupParent());
    if (Files.isDirectory(pids)) {
      try (var kids = Files.list(pids)) {
        for (Path k : kids.filter(Files::isDirectory).toList()) {
          for (String pid : Files.readAllLines(k.resolve("cgroup.procs"))) {
            Cmd.run("kill", "-9", pid.trim());
          }
        }
      }
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts")).reversed()) {
      String target = line.split(" ")[1];
      if (target.startsWith(config.dataDir().toString())) {
        Cmd.run("umount", "-l", target);
      }
    }
    Path netns = Path.of("/var/run/netns");
    if (Files.isDirectory(netns)) {
      try (var all = Files.list(netns)) {
        for (Path p : all.toList()) {
          if (p.getFileName().toString().startsWith("berth-" + config.bridge() + "-")) {
            Cmd.run("ip", "netns", "del", p.getFileName().toString());
          }
        }
      }
    }
    Cmd.run("ip", "link", "del", config.bridge());
    for (String ctl : List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer", "blkio", "net_cls", "perf_event", "hugetlb", "systemd")) {
      Path cg = Path.of("/sys/fs/cgroup", ctl, config.cgroupParent());
      if (Files.isDirectory(cg)) {
        try (var kids = Files.list(cg)) {
          kids.filter(Files::isDirectory).forEach(k -> k.toFile().delete());
        }
        cg.toFile().delete();
      }
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
