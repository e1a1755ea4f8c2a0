package dev.berth.runtime.local;

import dev.berth.core.app.CpuPolicy;
import dev.berth.core.runtime.ExecResult;
import dev.berth.oci.PreparedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container lifecycle on this host: runc, overlayfs, a network namespace on the bridge,
 * cgroups, the shell shim (ADR 0001). Every step of {@link #start} that changes the host pushes its
 * undo; a failure runs them in reverse, so a runc error, a failed mount or an exhausted subnet
 * leaves no mount, netns, veth, cgroup, CPU set or address behind. Thread-safe (state lives in the
 * collaborators).
 */
final class RuncLifecycle implements ContainerLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RuncLifecycle.class);
  private static final String NO_INIT =
      "no static tini found (/usr/bin/tini-static); running the entry without an init";
  private final LifecycleParts parts;
  private final Containers containers;
  private final StopSequence stopper;

  RuncLifecycle(LifecycleParts parts) {
    this.parts = parts;
    this.containers =
        new Containers(parts.runc(), parts.cgroups(), parts.scheduler(), parts.watch())
            .withNameserver(parts.network().nameserver().orElse(null));
    this.stopper = new StopSequence(parts.runc(), parts.scheduler());
  }

  /** Undo steps of a start in progress, run in reverse order when the start fails. */
  private static final class Undo {
    private final Deque<Step> steps = new ArrayDeque<>();

    interface Step {
      void run() throws Exception;
    }

    void push(Step s) {
      steps.push(s);
    }

    void run(String id) {
      while (!steps.isEmpty()) {
        try {
          steps.pop().run();
        } catch (Exception | Error e) {
          log.warn("{}: cleaning up after a failed start: {}", id, e.toString());
        }
      }
    }
  }

  @Override
  public Running start(Start s, Runnable onExit) throws Exception {
    String id = s.id();
    InstanceDirs dirs = s.dirs();
    Undo undo = new Undo();
    StartTimer timer = StartTimer.begin(id, parts.scheduler().millis());
    try {
      PreparedImage image = parts.images().prepare(s.image());
      timer.lap("image");
      boolean hadAddress = parts.ipam().lookup(id).isPresent();
      String addr = parts.ipam().allocate(id);
      if (!hadAddress) {
        undo.push(() -> parts.ipam().release(id));
      }
      timer.lap("ip");
      undo.push(() -> parts.network().removeInstance(id));
      parts.network().ensureInstance(id, addr);
      timer.lap("network");
      Files.createDirectories(dirs.bundle());
      Files.createDirectories(dirs.logDir());
      String lower = image.rootfs().toAbsolutePath().toString();
      if (s.freshRoot() || (Overlay.isMounted(dirs.rootfs()) && !lower.equals(s.lower()))) {
        freshRoot(dirs);
      }
      undo.push(() -> Overlay.unmount(dirs.rootfs()));
      Overlay.mount(image.rootfs(), dirs.upper(), dirs.work(), dirs.rootfs());
      timer.lap("overlay");
      Containers.Workload w = s.workload();
      String cpus =
          w.resources().cpuPolicy() == CpuPolicy.CPUSET
              ? parts.cpusets().allocate(id, w.resources().cpu())
              : null;
      if (cpus == null) {
        parts.cpusets().release(id);
      } else {
        undo.push(() -> parts.cpusets().release(id));
      }
      if (w.init() && parts.init() == null && s.noteMissingInit()) {
        ConsoleLogs.note(dirs.console(), parts.scheduler().instant(), NO_INIT);
      }
      containers.writeBundle(
          id, dirs, image, w, addr, parts.network().netnsPath(id), cpus, parts.init());
      timer.lap("bundle");
      undo.push(() -> parts.cgroups().remove(id));
      undo.push(() -> parts.runc().delete(id, true));
      Containers.Shim shim = containers.launch(id, dirs);
      shim.exit().thenRun(onExit);
      timer.lap("runc");
      timer.log();
      return new Running(addr, lower, cpus, shim, !shim.exit().isDone() || parts.runc().exists(id));
    } catch (Exception | Error e) {
      undo.run(id);
      throw e;
    }
  }

  @Override
  public Optional<Running> adopt(
      String id, InstanceDirs dirs, long shimPid, String lower, String cpus, Runnable onExit) {
    if (cpus != null) {
      parts.cpusets().restore(id, cpus);
    }
    Optional<Containers.Shim> shim = containers.findShim(shimPid, dirs);
    shim.ifPresent(sh -> sh.exit().thenRun(onExit));
    return shim.map(sh -> new Running(parts.ipam().lookup(id).orElse(null), lower, cpus, sh, true));
  }

  @Override
  public boolean hasRemains(String id, InstanceDirs dirs) {
    return Files.exists(dirs.exit()) || parts.runc().exists(id);
  }

  @Override
  public Ended collect(String id, InstanceDirs dirs, int shimStatus) throws IOException {
    int status = containers.exitStatus(dirs).orElse(shimStatus < 0 ? 255 : shimStatus);
    boolean oom = parts.cgroups().oomKills(id) > 0;
    Optional<String> runcError = containers.runcError(dirs);
    parts.runc().delete(id, true);
    Files.deleteIfExists(dirs.exit());
    return new Ended(status, oom, runcError);
  }

  @Override
  public Ended stop(
      String id,
      InstanceDirs dirs,
      Running running,
      List<String> preStop,
      Duration grace,
      boolean young)
      throws IOException {
    Containers.Shim shim = running.shim();
    Optional<Integer> stopped = stopper.stop(id, shim.exit(), preStop, grace, young);
    if (stopped.isEmpty()) {
      // The shim did not end even after SIGKILL (a hung runc): end it and its runc so nothing
      // lingers.
      log.warn("{}: shim {} did not exit after SIGKILL; killing it", id, shim.pid());
      ProcessHandle.of(shim.pid())
          .ifPresent(
              h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
              });
    }
    shim.stopWatching();
    return collect(id, dirs, stopped.filter(x -> x >= 0).orElse(137));
  }

  @Override
  public void discard(String id) {
    if (parts.runc().state(id).filter(Runc.State::running).isPresent()) {
      parts
          .runc()
          .kill(id, "KILL"); // a container without its shim: its exit status can never be known
    }
  }

  @Override
  public void freshRoot(InstanceDirs dirs) throws IOException {
    Overlay.unmount(dirs.rootfs());
    Fs.deleteTree(dirs.upper());
    Fs.deleteTree(dirs.work());
  }

  @Override
  public void release(String id, InstanceDirs dirs, boolean keepAddress) throws IOException {
    if (parts.runc().exists(id)) {
      parts.runc().delete(id, true);
    }
    freshRoot(dirs);
    Fs.deleteTree(dirs.bundle());
    try {
      Files.deleteIfExists(dirs.bundle().getParent());
    } catch (IOException notEmpty) {
      // other instances of the app, or a run's record, are still there
    }
    parts.network().removeInstance(id);
    if (!keepAddress) {
      parts.ipam().release(id);
    }
    parts.cpusets().release(id);
    parts.cgroups().remove(id);
  }

  @Override
  public boolean rootKept(InstanceDirs dirs) {
    return Overlay.isMounted(dirs.rootfs()) && Files.exists(dirs.config());
  }

  @Override
  public Optional<String> address(String id) {
    return parts.ipam().lookup(id);
  }

  @Override
  public ExecResult exec(String id, List<String> command, Duration timeout) {
    return parts.runc().exec(id, command, timeout);
  }

  @Override
  public dev.berth.core.runtime.Terminal terminal(
      String id, List<String> command, int columns, int rows) {
    return PtyTerminal.start(parts.runc().execWithTerminal(id, command), columns, rows, () -> {});
  }

  @Override
  public dev.berth.core.runtime.Terminal terminalOnRoot(
      String helperId, InstanceDirs dirs, List<String> command, int columns, int rows)
      throws IOException {
    return containers.terminalOnRoot(helperId, dirs, command, columns, rows);
  }

  @Override
  public ExecResult execOnRoot(
      String helperId, InstanceDirs dirs, List<String> command, Duration timeout)
      throws IOException {
    return containers.execOnRoot(helperId, dirs, command, timeout);
  }
}
