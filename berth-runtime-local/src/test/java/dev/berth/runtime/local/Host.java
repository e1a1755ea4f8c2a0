package dev.berth.runtime.local;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.event.Event;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.Observation.Happened;
import dev.berth.core.time.SystemScheduler;
import dev.berth.runtime.local.cgroup.Cgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One isolated local runtime for an IT class: its own data dir, runc root, bridge, subnet and
 * cgroup parent; {@link #teardown()} removes every trace (containers, mounts, netns, bridge,
 * cgroups).
 */
final class Host {
  static final Cgroups CGROUPS = Cgroups.host();
  final Path dir;
  final LocalRuntimeConfig config;
  final BusyboxImages images;
  final List<Observation> seen = new CopyOnWriteArrayList<>();
  final SystemScheduler scheduler = new SystemScheduler("berth-it");
  LocalRuntime runtime;

  Host(Path dir, int n) {
    this(dir, n, "10.201." + n + ".0/24");
  }

  /** A host on a subnet of the test's choosing, e.g. a small one to run out of addresses. */
  Host(Path dir, int n, String subnet) {
    assumeTrue(isRoot(), "needs root for runc, mounts and network namespaces");
    assumeTrue(Cmd.run("runc", "--version").ok(), "needs runc on PATH");
    assumeTrue(BusyboxImages.available(), "needs a static /bin/busybox");
    this.dir = dir;
    this.images = new BusyboxImages(dir);
    this.config =
        LocalRuntimeConfig.defaults("local", dir.resolve("data"))
            .withNetwork("bt" + n + "br", subnet)
            .withCgroupParent("berth-it-" + n)
            .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2));
  }

  LocalRuntime start() {
    runtime = new LocalRuntime(config, images, scheduler);
    runtime.observe(seen::add);
    return runtime;
  }

  List<Event> events(String instanceId) {
    return seen.stream()
        .filter(o -> o instanceof Happened)
        .map(o -> ((Happened) o).event())
        .filter(e -> e.name().equals(instanceId))
        .toList();
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
    for (String child : CGROUPS.children("/" + config.cgroupParent())) {
      for (int pid : CGROUPS.pids(child)) {
        Cmd.run("kill", "-9", Integer.toString(pid));
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
    for (String child : CGROUPS.children("/" + config.cgroupParent())) {
      CGROUPS.removeIfEmpty(child);
    }
    CGROUPS.removeIfEmpty("/" + config.cgroupParent());
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
