package dev.berth.runtime.local;

import dev.berth.runtime.local.cgroup.Cgroups;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Security;
import dev.berth.core.runtime.ExecResult;
import dev.berth.oci.PreparedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Container mechanics shared by instance supervisors and run supervisors: the bundle of a container
 * from an image and a workload, the supervision shim (start, wait until runc created the container,
 * find it again after a restart of Berth) and how a container ended (exit file, OOM counter of the
 * kept cgroup, runc's own error). Stateless apart from the runtime's parts; thread-safe.
 */
final class Containers {
  static final Duration CREATE_WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Cgroups cgroups = Cgroups.host();
  private final LocalRuntime rt;

  Containers(LocalRuntime rt) {
    this.rt = rt;
  }

  /**
   * A running shim: its pid and the future of its exit status (-1 when it is not our child and only
   * its end is known). {@code poller} watches an adopted shim and must be cancelled when done.
   */
  record Shim(long pid, CompletableFuture<Integer> exit, ScheduledFuture<?> poller) {
    void stopWatching() {
      if (poller != null) {
        poller.cancel(false);
      }
    }
  }

  /** What runs in one container, from an app spec or a task spec. */
  record Workload(List<String> command, List<String> args, Map<String, String> env, Resources resources, boolean init, Security security) {
    Workload {
      security = security == null ? Security.BASELINE : security;
    }

    /** A workload with the baseline security profile. */
    Workload(List<String> command, List<String> args, Map<String, String> env, Resources resources, boolean init) {
      this(command, args, env, resources, init, Security.BASELINE);
    }
  }

  /**
   * Writes {@code hosts}, {@code resolv.conf} and {@code config.json} into the bundle for {@code
   * workload} on {@code image}, with the overlay root already mounted at {@code dirs.rootfs()}.
   *
   * @return the plan written, for helpers that run something else on the same root
   */
  ContainerPlan writeBundle(String id, InstanceDirs dirs, PreparedImage image, Workload workload, String addr, String cpus, Path init)
      throws IOException {
    Fs.writeAtomically(dirs.hosts(), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" + addr + "\t" + id + "\n");
    Path hostResolv = Path.of("/etc/resolv.conf");
    Fs.writeAtomically(dirs.resolvConf(), Files.exists(hostResolv) ? Files.readAllBytes(hostResolv) : new byte[0]);
    int[] user = LocalSecurity.user(
        Entry.user(image.config().user(), readText(image.rootfs().resolve("etc/passwd")), readText(image.rootfs().resolve("etc/group"))),
        workload.security());
    ContainerPlan plan = new ContainerPlan(id, dirs.rootfs(), Entry.args(image.config(), workload.command(), workload.args()),
        Entry.env(image.config(), workload.env(), id), Entry.cwd(image.config()), user[0], user[1], rt.network.netnsPath(id),
        dirs.hosts(), dirs.resolvConf(), workload.init() ? init : null, workload.resources(), cpus, cgroupsPath(id),
        workload.security().restricted());
    Fs.writeAtomically(dirs.config(), BundleSpec.configJson(plan).toPrettyString());
    return plan;
  }

  String cgroupsPath(String id) {
    return "/" + rt.config.cgroupParent() + "/" + id;
  }

  /**
   * Starts the shim for the bundle (after removing a stale container of the same id, the old exit file
   * and runc log) with output appended to the console log, and waits (at most {@link #CREATE_WAIT})
   * until runc has created the container, so that "running" means the process exists and exec works;
   * returns early when the shim already ended.
   */
  Shim launch(String id, InstanceDirs dirs) throws IOException, InterruptedException {
    if (rt.runc.exists(id)) {
      rt.runc.delete(id, true);
    }
    Files.deleteIfExists(dirs.exit());
    Files.deleteIfExists(dirs.runcLog());
    Files.createDirectories(dirs.logDir());
    Process p = new ProcessBuilder(rt.runc.shim(id, dirs.bundle(), dirs.exit(), dirs.runcLog()))
        .redirectInput(new File("/dev/null"))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dirs.console().toFile()))
        .redirectErrorStream(true)
        .start();
    Shim shim = new Shim(p.pid(), p.onExit().thenApply(Process::exitValue), null);
    Path state = rt.config.runcRoot().resolve(id).resolve("state.json");
    long deadline = System.nanoTime() + CREATE_WAIT.toNanos();
    while (!Files.exists(state) && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    return shim;
  }

  /**
   * The shim of a container started by an earlier Berth process, when it still runs: the recorded pid
   * if that process is still the shim of this bundle, else any shim of this bundle. Its end is
   * noticed by polling.
   */
  Optional<Shim> findShim(long recordedPid, InstanceDirs dirs) {
    String exit = dirs.exit().toString();
    Optional<ProcessHandle> h = ProcessHandle.of(recordedPid).filter(p -> isShim(p, exit));
    if (h.isEmpty()) {
      h = ProcessHandle.allProcesses().filter(p -> isShim(p, exit)).findFirst();
    }
    return h.map(this::watch);
  }

  private static boolean isShim(ProcessHandle h, String exitFile) {
    return h.isAlive() && h.info().commandLine().map(c -> c.contains("berth-shim") && c.contains(exitFile)).orElse(false);
  }

  private Shim watch(ProcessHandle h) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    ScheduledFuture<?> poller = rt.scheduler.scheduleWithFixedDelay(() -> {
      if (!h.isAlive()) {
        done.complete(-1);
      }
    }, 200, 200, TimeUnit.MILLISECONDS);
    return new Shim(h.pid(), done, poller);
  }

  /** The container's exit status as the shim wrote it. */
  Optional<Integer> exitStatus(InstanceDirs dirs) {
    try {
      return Optional.of(Integer.parseInt(Files.readString(dirs.exit()).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The kept cgroup's OOM kill counter (v1 {@code memory.oom_control}, v2 {@code memory.events}), 0 when unreadable. */
  long oomKills(String id) {
    return cgroups.oomKills(cgroupsPath(id));
  }

  /** The first error runc logged for the last start (e.g. the entry binary does not exist). */
  Optional<String> runcError(InstanceDirs dirs) {
    try {
      if (!Files.exists(dirs.runcLog())) {
        return Optional.empty();
      }
      for (String line : Files.readAllLines(dirs.runcLog())) {
        if (line.contains("\"level\":\"error\"")) {
          return Optional.of(JSON.readTree(line).path("msg").asText(line));
        }
      }
    } catch (IOException ignored) {
      // no log, no error to report
    }
    return Optional.empty();
  }

  /** Removes the container's (empty) cgroup directories that runc left behind, e.g. after a failed create. */
  void removeCgroups(String id) {
    cgroups.removeIfEmpty(cgroupsPath(id));
  }

  /** Whether any cgroup directory of the container is left. */
  boolean hasCgroups(String id) {
    return cgroups.exists(cgroupsPath(id));
  }

  /**
   * Runs {@code command} in a short-lived helper container {@code helperId} on the root file system
   * still mounted in {@code dirs} (an ended run's), with that container's config (environment, user,
   * namespaces, network, limits) but its own cgroup; waits at most {@code timeout}, then deletes the
   * helper and its bundle ({@code exec/} next to the bundle).
   */
  ExecResult execOnRoot(String helperId, InstanceDirs dirs, List<String> command, Duration timeout) throws IOException {
    Path bundle = dirs.bundle().resolveSibling("exec");
    try {
      Fs.deleteTree(bundle);
      Files.createDirectories(bundle);
      ObjectNode config = (ObjectNode) JSON.readTree(dirs.config().toFile());
      ArrayNode args = (ArrayNode) config.path("process").path("args");
      boolean init = !args.isEmpty() && args.get(0).asText().equals(BundleSpec.INIT_PATH);
      args.removeAll();
      if (init) {
        args.add(BundleSpec.INIT_PATH).add("--");
      }
      command.forEach(args::add);
      ((ObjectNode) config.path("linux")).put("cgroupsPath", cgroupsPath(helperId));
      Fs.writeAtomically(bundle.resolve("config.json"), config.toPrettyString());
      List<String> cmd = rt.runc.base();
      cmd.addAll(List.of("run", "--bundle", bundle.toString(), helperId));
      Cmd.Result r = Cmd.run(timeout, cmd);
      return new ExecResult(r.exit(), r.output(), r.timedOut());
    } finally {
      rt.runc.delete(helperId, true);
      removeCgroups(helperId);
      Fs.deleteTree(bundle);
    }
  }

  static String readText(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : null;
    } catch (IOException e) {
      return null;
    }
  }
}
