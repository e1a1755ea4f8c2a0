package dev.berth.server.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.runtime.local.cgroup.Cgroups;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Leaves the host as a test found it: no container, mount, bridge or data directory of the test.
 */
final class Cleanup {
  private Cleanup() {}

  static void deleteAllApps(BerthServer berth) {
    JsonNode apps = berth.get("/api/v1/apps?size=500");
    for (JsonNode a : apps.path("items")) {
      berth.call(
          "DELETE",
          "/api/v1/apps/" + a.path("name").asText() + "?confirm=" + a.path("name").asText(),
          null);
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> berth.get("/api/v1/apps?size=500").path("total").asLong() == 0);
  }

  static Path runcRoot(Path dataDir) {
    return dataDir.resolve("local").resolve("runc");
  }

  /** The host PID of a container's main process, from runc's state. */
  static long containerPid(Path dataDir, String id) throws IOException, InterruptedException {
    String out = run("runc", "--root", runcRoot(dataDir).toString(), "state", id);
    return BerthServer.json(out).path("pid").asLong();
  }

  /**
   * Kills whatever containers are left, unmounts the test's overlays, removes its bridge, its
   * (empty) cgroup directories and its data.
   */
  static void local(Path dataDir, String bridge, String cgroupParent) {
    try {
      Path root = runcRoot(dataDir);
      if (Files.isDirectory(root)) {
        for (String id :
            run("runc", "--root", root.toString(), "list", "-q")
                .lines()
                .filter(l -> !l.isBlank())
                .toList()) {
          run("runc", "--root", root.toString(), "kill", id, "KILL");
          run("runc", "--root", root.toString(), "delete", "--force", id);
        }
      }
      List<String> mounts = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
        String target = line.split(" ")[1];
        if (target.startsWith(dataDir.toString())) {
          mounts.add(target);
        }
      }
      mounts.sort(Comparator.reverseOrder());
      for (String m : mounts) {
        run("umount", "-l", m);
      }
      run("ip", "link", "del", bridge);
      for (String netns :
          run("ip", "netns", "list")
              .lines()
              .map(l -> l.split(" ")[0])
              .filter(n -> n.startsWith("berth-" + bridge + "-"))
              .toList()) {
        run("ip", "netns", "del", netns);
      }
      Cgroups cgroups = Cgroups.host();
      for (String child : cgroups.children("/" + cgroupParent)) {
        cgroups.removeIfEmpty(child);
      }
      cgroups.removeIfEmpty("/" + cgroupParent);
      try (Stream<Path> walk = Files.walk(dataDir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (IOException | InterruptedException e) {
      System.err.println("cleanup of " + dataDir + " incomplete: " + e);
    }
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
