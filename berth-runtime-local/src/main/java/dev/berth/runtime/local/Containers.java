package dev.berth.runtime.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Security;
import dev.berth.core.runtime.ExecResult;
import dev.berth.core.time.Scheduler;
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

/**
 * Container mechanics used by {@link ContainerLifecycle}: the bundle of a container from an image
 * and a workload, the supervision shim (start, wait until runc runs the container, find it again
 * after a restart of Berth) and how a container ended (exit file, runc's own error). Stateless;
 * thread-safe.
 *
 * <p>Exits are seen as they happen: a shim started by this process is our child ({@link
 * Process#onExit()}); an adopted one is watched through its exit file ({@link FileWatch}), with a
 * slow safety check ({@link #SAFETY_POLL}) for a shim killed before it could write the file.
 */
final class Containers {
  static final Duration CREATE_WAIT = Duration.ofSeconds(5);
  static final Duration SAFETY_POLL = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Runc runc;
  private final ContainerCgroups cgroups;
  private final Scheduler scheduler;
  private final FileWatch watch;
  private String nameserver;

  Containers(Runc runc, ContainerCgroups cgroups, Scheduler scheduler, FileWatch watch) {
    this.runc = runc;
    this.cgroups = cgroups;
    this.scheduler = scheduler;
    this.watch = watch;
  }

  /**
   * Containers get {@code address} as their only name server (the host's search and options stay);
   * null keeps the host's resolv.conf as it is. Set once, before the first start.
   */
  Containers withNameserver(String address) {
    this.nameserver = address;
    return this;
  }

  /**
   * A running shim: its pid and the future of its exit status (-1 when it is not our child and only
   * its end is known). {@code watching} observes an adopted shim and must be cancelled when done.
   */
  record Shim(long pid, CompletableFuture<Integer> exit, Scheduler.Cancellable watching) {
    void stopWatching() {
      if (watching != null) {
        watching.cancel();
      }
    }
  }

  /** What runs in one container, from an app spec or a task spec. */
  record Workload(
      List<String> command,
      List<String> args,
      Map<String, String> env,
      Resources resources,
      boolean init,
      Security security) {
    Workload {
      security = security == null ? Security.BASELINE : security;
    }

    /** A workload with the baseline security profile. */
    Workload(
        List<String> command,
        List<String> args,
        Map<String, String> env,
        Resources resources,
        boolean init) {
      this(command, args, env, resources, init, Security.BASELINE);
    }
  }

  /**
   * Writes {@code hosts}, {@code resolv.conf} and {@code config.json} into the bundle for {@code
   * workload} on {@code image}, with the overlay root already mounted at {@code dirs.rootfs()}.
   */
  void writeBundle(
      String id,
      InstanceDirs dirs,
      PreparedImage image,
      Workload workload,
      String addr,
      String netnsPath,
      String cpus,
      Path init)
      throws IOException {
    Fs.writeAtomically(
        dirs.hosts(),
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
            + addr
            + "\t"
            + id
            + "\n");
    Path hostResolv = Path.of("/etc/resolv.conf");
    String host = Files.exists(hostResolv) ? Files.readString(hostResolv) : "";
    Fs.writeAtomically(dirs.resolvConf(), ResolvConf.of(host, nameserver));
    int[] user =
        LocalSecurity.user(
            Entry.user(
                image.config().user(),
                readText(image.rootfs().resolve("etc/passwd")),
                readText(image.rootfs().resolve("etc/group"))),
            workload.security());
    ContainerPlan plan =
        new ContainerPlan(
            id,
            dirs.rootfs(),
            Entry.args(image.config(), workload.command(), workload.args()),
            Entry.env(image.config(), workload.env(), id),
            Entry.cwd(image.config()),
            user[0],
            user[1],
            netnsPath,
            dirs.hosts(),
            dirs.resolvConf(),
            workload.init() ? init : null,
            workload.resources(),
            cpus,
            cgroups.path(id),
            workload.security().restricted());
    Fs.writeAtomically(dirs.config(), BundleSpec.configJson(plan).toPrettyString());
  }

  /**
   * Starts the shim for the bundle (after removing a stale container of the same id, the old exit,
   * pid and runc log files) with output appended to the console log, and waits (at most {@link
   * #CREATE_WAIT}) until runc reports the container running by writing its pid file, so that
   * "running" means the process exists and exec works; returns early when the shim already ended.
   */
  Shim launch(String id, InstanceDirs dirs) throws IOException {
    if (runc.exists(id)) {
      runc.delete(id, true);
    }
    Files.deleteIfExists(dirs.exit());
    Files.deleteIfExists(dirs.pidFile());
    Files.deleteIfExists(dirs.runcLog());
    Files.createDirectories(dirs.logDir());
    CompletableFuture<Void> running = watch.appears(dirs.pidFile());
    Process p;
    try {
      p =
          new ProcessBuilder(
                  runc.shim(id, dirs.bundle(), dirs.exit(), dirs.runcLog(), dirs.pidFile()))
              .redirectInput(new File("/dev/null"))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dirs.console().toFile()))
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      running.cancel(false);
      throw e;
    }
    Shim shim = new Shim(p.pid(), p.onExit().thenApply(Process::exitValue), null);
    Waits.await(CompletableFuture.anyOf(running, shim.exit()), CREATE_WAIT, scheduler);
    running.cancel(false);
    return shim;
  }

  /**
   * The shim of a container started by an earlier Berth process, when it still runs: the recorded
   * pid if that process is still the shim of this bundle, else any shim of this bundle.
   */
  Optional<Shim> findShim(long recordedPid, InstanceDirs dirs) {
    String exit = dirs.exit().toString();
    Optional<ProcessHandle> h = ProcessHandle.of(recordedPid).filter(p -> isShim(p, exit));
    if (h.isEmpty()) {
      h = ProcessHandle.allProcesses().filter(p -> isShim(p, exit)).findFirst();
    }
    return h.map(p -> watch(p, dirs));
  }

  private static boolean isShim(ProcessHandle h, String exitFile) {
    return h.isAlive()
        && h.info()
            .commandLine()
            .map(c -> c.contains("berth-shim") && c.contains(exitFile))
            .orElse(false);
  }

  /**
   * Watches a shim that is not our child: its exit file appearing, or (safety net) its process
   * gone.
   */
  private Shim watch(ProcessHandle h, InstanceDirs dirs) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    CompletableFuture<Void> exitFile = watch.appears(dirs.exit());
    exitFile.thenRun(() -> done.complete(-1));
    Scheduler.Cancellable poll =
        scheduler.scheduleWithFixedDelay(
            SAFETY_POLL,
            SAFETY_POLL,
            () -> {
              if (!h.isAlive()) {
                done.complete(-1);
              }
            });
    Scheduler.Cancellable watching =
        () -> {
          exitFile.cancel(false);
          poll.cancel();
        };
    done.whenComplete((v, e) -> watching.cancel());
    return new Shim(h.pid(), done, watching);
  }

  /** The container's exit status as the shim wrote it. */
  Optional<Integer> exitStatus(InstanceDirs dirs) {
    try {
      return Optional.of(Integer.parseInt(Files.readString(dirs.exit()).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
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

  /**
   * Runs {@code command} in a short-lived helper container {@code helperId} on the root file system
   * still mounted in {@code dirs} (an ended run's), with that container's config (environment,
   * user, namespaces, network, limits) but its own cgroup; waits at most {@code timeout}, then
   * deletes the helper and its bundle ({@code exec/} next to the bundle).
   */
  ExecResult execOnRoot(String helperId, InstanceDirs dirs, List<String> command, Duration timeout)
      throws IOException {
    Path bundle = dirs.bundle().resolveSibling("exec");
    try {
      bundle = HelperBundle.write(dirs, "exec", cgroups.path(helperId), command, null);
      List<String> cmd = runc.base();
      cmd.addAll(List.of("run", "--bundle", bundle.toString(), helperId));
      Cmd.Result r = Cmd.run(timeout, cmd);
      return new ExecResult(r.exit(), r.output(), r.timedOut());
    } finally {
      runc.delete(helperId, true);
      cgroups.remove(helperId);
      Fs.deleteTree(bundle);
    }
  }

  /**
   * Starts {@code command} with a terminal in helper container {@code helperId} on the root file
   * system still mounted in {@code dirs}, like {@link #execOnRoot}; the helper, its cgroup and its
   * bundle are deleted when the command exits or the terminal is closed.
   */
  dev.berth.core.runtime.Terminal terminalOnRoot(
      String helperId, InstanceDirs dirs, List<String> command, int columns, int rows)
      throws IOException {
    dev.berth.core.runtime.Terminal.checkSize(columns, rows);
    Path bundle =
        HelperBundle.write(
            dirs, helperId, cgroups.path(helperId), command, new int[] {columns, rows});
    List<String> cmd = runc.base();
    cmd.addAll(List.of("run", "--bundle", bundle.toString(), helperId));
    return PtyTerminal.start(
        cmd,
        columns,
        rows,
        () -> {
          runc.delete(helperId, true);
          cgroups.remove(helperId);
          try {
            Fs.deleteTree(bundle);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  static String readText(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : null;
    } catch (IOException e) {
      return null;
    }
  }
}
