package dev.berth.runtime.local;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.event.EventType;
import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.InstanceSlot;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.runtime.Severity;
import dev.berth.oci.PreparedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one instance: an actor on a virtual thread that takes signals (apply, restart, remove,
 * exited, back-off over, unhealthy, close) from its queue one at a time, so that every state change of
 * the instance happens on one thread; readers take a snapshot under the instance's lock. The loop never
 * dies: a failure becomes state FAILED, a Warning event and a retry after back-off.
 */
final class Supervisor implements Prober.Sink {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
  private static final String BY_REQUEST = "Restarted by request";

  sealed interface Signal {}

  record Apply(InstanceSlot slot) implements Signal {}

  record Adopt(InstanceRecord rec) implements Signal {}

  record Restart() implements Signal {}

  record Remove(boolean replace) implements Signal {}

  record Exited(long gen) implements Signal {}

  record Wake(long gen) implements Signal {}

  record Unhealthy(long gen) implements Signal {}

  record Close() implements Signal {}

  final String app;
  final int ordinal;
  final String id;
  private final LocalRuntime rt;
  private final InstanceDirs dirs;
  private final LinkedBlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Backoff backoff;
  private final StopSequence stopper;

  // guarded by lock: written by the actor, read by snapshot()
  private InstanceState state = InstanceState.PENDING;
  private boolean ready;
  private int restarts;
  private ExitInfo lastExit;
  private Instant startedAt;
  private String message;
  private String ip;
  private long revision = -1;
  private AppSpec spec;
  private boolean removed;

  // actor-only
  private long gen;
  private CompletableFuture<Integer> shimExit;
  private long shimPid;
  private ScheduledFuture<?> poller;
  private Prober prober;
  private int failures;
  private ScheduledFuture<?> wake;
  private String lower;
  private String cpus;
  private boolean initNoted;
  private boolean closed;

  Supervisor(LocalRuntime rt, String app, int ordinal) {
    this.rt = rt;
    this.app = app;
    this.ordinal = ordinal;
    this.id = InstanceIds.id(app, ordinal);
    this.dirs = InstanceDirs.of(rt.config.dataDir(), app, id);
    this.backoff = new Backoff(rt.config.backoffInitial(), rt.config.backoffMax(), Backoff.RESET_AFTER);
    this.stopper = new StopSequence(rt.runc, id);
    this.ip = rt.ipam.lookup(id).orElse(null);
  }

  InstanceDirs dirs() {
    return dirs;
  }

  void begin() {
    Thread.ofVirtual().name("berth-sup-" + id).start(this::loop);
  }

  void send(Signal s) {
    queue.add(s);
  }

  boolean idle() {
    return queue.isEmpty();
  }

  private void loop() {
    while (!closed) {
      Signal s;
      try {
        s = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        handle(s);
      } catch (Throwable t) {
        fail("supervising", t);
      }
    }
  }

  private void handle(Signal s) throws IOException {
    switch (s) {
      case Apply a -> apply(a.slot());
      case Adopt a -> adopt(a.rec());
      case Restart r -> {
        if (spec != null && !removed) {
          stop("restart requested");
          restarted(BY_REQUEST);
        }
      }
      case Remove r -> remove(r.replace());
      case Exited e -> {
        if (e.gen() == gen && shimExit != null) {
          exited();
        }
      }
      case Wake w -> {
        if (w.gen() == gen && (snapshotState() == InstanceState.BACKOFF || snapshotState() == InstanceState.FAILED) && !removed) {
          boolean afterExit = snapshotState() == InstanceState.BACKOFF;
          if (afterExit) {
            restarted("Restarted after back-off");
          } else {
            start();
          }
        }
      }
      case Unhealthy u -> {
        if (u.gen() == gen && shimExit != null) {
          stop("liveness probe failed");
          restarted("Restarted: liveness probe failed");
        }
      }
      case Close c -> {
        closed = true;
        stopWatching();
      }
    }
  }

  private void apply(InstanceSlot slot) throws IOException {
    boolean revisionChanged = spec != null && slot.revision() != revision;
    boolean wasRemoved = removed;
    if (revisionChanged) {
      stop("revision " + revision + " replaced by " + slot.revision());
      freshFilesystem();
      failures = 0;
    }
    update(() -> {
      spec = slot.spec();
      revision = slot.revision();
      removed = false;
    });
    InstanceState st = snapshotState();
    boolean waiting = st == InstanceState.BACKOFF || st == InstanceState.FAILED;
    if (shimExit == null && (revisionChanged || wasRemoved || !waiting)) {
      start();
    }
  }

  private void adopt(InstanceRecord rec) {
    update(() -> {
      spec = rec.spec();
      revision = rec.revision();
      restarts = rec.restarts();
      startedAt = rec.startedAt() > 0 ? Instant.ofEpochMilli(rec.startedAt()) : null;
    });
    lower = rec.lower();
    cpus = rec.cpus();
    rt.cpusets.restore(id, cpus);
    Optional<Containers.Shim> shim = rt.containers.findShim(rec.shimPid(), dirs);
    if (shim.isPresent()) {
      long g = ++gen;
      shimPid = shim.get().pid();
      poller = shim.get().poller();
      shimExit = shim.get().exit();
      shimExit.thenRun(() -> send(new Exited(g)));
      boolean noReadiness = spec.health().readiness() == null;
      update(() -> {
        state = InstanceState.RUNNING;
        ready = noReadiness;
        message = "adopted after a restart of Berth";
      });
      log.info("{}: adopted running container (shim pid {})", id, shimPid);
      startProbes(g);
    } else if (Files.exists(dirs.exit()) || rt.runc.state(id).isPresent()) {
      long g = ++gen;
      shimExit = CompletableFuture.completedFuture(-1);
      send(new Exited(g));
    } else {
      start();
    }
  }

  /** Starts the container: image, IP, network, overlay, config.json, shim. Failure → FAILED + back-off. */
  private void start() {
    long g = ++gen;
    cancelWake();
    AppSpec s = spec;
    update(() -> {
      state = InstanceState.PENDING;
      ready = false;
      message = "starting";
    });
    StartTimer timer = StartTimer.begin(id, rt.clock.millis());
    try {
      PreparedImage image = rt.images.prepare(s.image());
      timer.lap("image");
      String addr = rt.ipam.allocate(id);
      update(() -> ip = addr);
      timer.lap("ip");
      rt.network.ensureInstance(id, addr);
      timer.lap("network");
      Files.createDirectories(dirs.bundle());
      Files.createDirectories(dirs.logDir());
      String newLower = image.rootfs().toAbsolutePath().toString();
      if (Overlay.isMounted(dirs.rootfs()) && !newLower.equals(lower)) {
        freshFilesystem();
      }
      lower = newLower;
      Overlay.mount(image.rootfs(), dirs.upper(), dirs.work(), dirs.rootfs());
      timer.lap("overlay");
      cpus = s.resources().cpuPolicy() == CpuPolicy.CPUSET ? rt.cpusets.allocate(id, s.resources().cpu()) : null;
      if (cpus == null) {
        rt.cpusets.release(id);
      }
      if (s.lifecycle().init() && rt.init == null && !initNoted) {
        initNoted = true;
        ConsoleLogs.note(dirs.console(), "no static tini found (/usr/bin/tini-static); running the entry without an init");
      }
      Containers.Workload w = new Containers.Workload(s.command(), s.args(), s.env(), s.resources(), s.lifecycle().init(), s.security());
      rt.containers.writeBundle(id, dirs, image, w, addr, cpus, rt.init);
      timer.lap("bundle");
      Containers.Shim shim = rt.containers.launch(id, dirs);
      timer.lap("runc");
      shimPid = shim.pid();
      shimExit = shim.exit();
      shimExit.thenRun(() -> send(new Exited(g)));
      Instant now = rt.clock.instant();
      boolean noReadiness = s.health().readiness() == null;
      update(() -> {
        state = InstanceState.RUNNING;
        startedAt = now;
        ready = noReadiness;
        message = null;
      });
      persist();
      rt.event(this, EventType.NORMAL, "Started", "Started container with IP " + addr + " (revision " + revision + ")");
      if (noReadiness) {
        rt.event(this, EventType.NORMAL, "Ready", "Instance is ready");
      }
      startProbes(g);
      timer.lap("report");
      timer.log();
    } catch (Exception e) {
      fail("starting", e);
    }
  }

  private void exited() throws IOException {
    Integer shimStatus = shimExit.getNow(-1);
    stopWatching();
    shimExit = null;
    int status = readExitStatus().orElse(shimStatus == null || shimStatus < 0 ? 255 : shimStatus);
    boolean oom = oomKills() > 0;
    Optional<String> runcError = runcError();
    rt.runc.delete(id, true);
    Files.deleteIfExists(dirs.exit());
    Instant now = rt.clock.instant();
    Duration up = startedAt == null ? Duration.ZERO : Duration.between(startedAt, now);
    if (runcError.isPresent() && status != 0 && !oom) {
      fail("running the container", new RuntimeFailure("runc: " + runcError.get()));
      return;
    }
    ExitInfo exit = ExitInfo.of(status, oom, now);
    failures = backoff.indexAfterRun(failures, up);
    Duration delay = backoff.delay(failures);
    failures++;
    update(() -> {
      lastExit = exit;
      state = InstanceState.BACKOFF;
      ready = false;
      message = exit.message() + "; restarting in " + human(delay);
    });
    if (oom) {
      rt.event(this, EventType.WARNING, "OOMKilled", "Container exceeded its memory limit of " + spec.resources().memoryMiB() + " MiB and was killed");
    } else {
      rt.event(this, Severity.ofExit(exit), "Exited", "Container " + exit.message());
    }
    scheduleWake(delay);
  }

  private void restarted(String why) {
    update(() -> restarts++);
    Duration last = failures == 0 ? Duration.ZERO : backoff.delay(failures - 1);
    rt.event(this, Severity.ofRestart(why.equals(BY_REQUEST)), "Restarted", why + (last.isZero() ? "" : " (back-off " + human(last) + ")") + ", restart " + snapshot().restarts());
    start();
  }

  /** Graceful stop: preStop hook, SIGTERM, wait, SIGKILL, runc delete. Nothing running → runc cleanup only. */
  private void stop(String why) throws IOException {
    cancelWake();
    CompletableFuture<Integer> exit = shimExit;
    gen++;
    if (exit == null) {
      if (rt.runc.exists(id)) {
        rt.runc.delete(id, true);
      }
      return;
    }
    stopProbes();
    update(() -> {
      state = InstanceState.STOPPING;
      ready = false;
      message = why;
    });
    int timeout = spec.lifecycle().stopTimeoutSeconds();
    rt.event(this, EventType.NORMAL, "Killing", "Stopping container (" + why + "), SIGKILL after " + timeout + "s");
    Instant began = snapshot().startedAt();
    boolean young = began != null && Duration.between(began, rt.clock.instant()).compareTo(StopSequence.YOUNG) < 0;
    Optional<Integer> stopped = stopper.stop(exit, spec.lifecycle().preStop(), Duration.ofSeconds(timeout), young);
    if (stopped.isEmpty()) {
      // The shim did not end even after SIGKILL (a hung runc): end it and its runc so nothing lingers.
      log.warn("{}: shim {} did not exit after SIGKILL; killing it", id, shimPid);
      ProcessHandle.of(shimPid).ifPresent(h -> {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
      });
    }
    int status = stopped.orElse(-1);
    Optional<Integer> written = readExitStatus();
    int finalStatus = written.orElse(status < 0 ? 137 : status);
    boolean oom = oomKills() > 0;
    stopWatching();
    rt.runc.delete(id, true);
    Files.deleteIfExists(dirs.exit());
    shimExit = null;
    ExitInfo info = ExitInfo.of(finalStatus, oom, rt.clock.instant());
    update(() -> {
      lastExit = info;
      state = InstanceState.EXITED;
    });
  }

  private void remove(boolean replace) throws IOException {
    if (spec == null) {
      return;
    }
    stop(replace ? "instance replaced" : "instance deleted");
    freshFilesystem();
    failures = 0; // whatever comes next is a fresh instance: no back-off, no restarts, no last exit
    update(() -> {
      restarts = 0;
      lastExit = null;
    });
    if (replace) {
      start();
      return;
    }
    rt.network.removeInstance(id);
    rt.cpusets.release(id);
    if (!Overlay.isMounted(dirs.rootfs())) {
      Fs.deleteTree(dirs.bundle());
      try {
        Files.deleteIfExists(dirs.bundle().getParent());
      } catch (IOException notEmpty) {
        // other instances of the app are still there
      }
    }
    update(() -> {
      removed = true;
      state = InstanceState.EXITED;
      ip = null;
    });
    rt.removed(this);
  }

  /** Unmounts the overlay and wipes the writable layer: the next start gets the image as it is. */
  private void freshFilesystem() throws IOException {
    Overlay.unmount(dirs.rootfs());
    Fs.deleteTree(dirs.upper());
    Fs.deleteTree(dirs.work());
    lower = null;
  }

  private void fail(String doing, Throwable t) {
    String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    log.warn("{}: failed {}: {}", id, doing, why, t instanceof RuntimeFailure ? null : t);
    try {
      stopWatching();
      if (shimExit != null && shimExit.isDone()) {
        shimExit = null;
      }
    } catch (RuntimeException ignored) {
      // keep going: the retry below matters more
    }
    Duration delay = backoff.delay(failures);
    failures++;
    update(() -> {
      state = InstanceState.FAILED;
      ready = false;
      message = "failed " + doing + ": " + why + "; retrying in " + human(delay);
    });
    rt.event(this, EventType.WARNING, "Failed", "Failed " + doing + ": " + why + "; retrying in " + human(delay));
    if (shimExit == null) {
      scheduleWake(delay);
    }
  }

  private void scheduleWake(Duration delay) {
    cancelWake();
    long g = gen;
    wake = rt.scheduler.schedule(() -> send(new Wake(g)), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void cancelWake() {
    if (wake != null) {
      wake.cancel(false);
      wake = null;
    }
  }

  private void startProbes(long g) {
    if (spec.health().readiness() == null && spec.health().liveness() == null) {
      return;
    }
    prober = new Prober(g, ip, spec, id, rt.runc, rt.http, this);
    prober.start(rt.scheduler);
  }

  private void stopProbes() {
    if (prober != null) {
      prober.stop();
      prober = null;
    }
  }

  private void stopWatching() {
    stopProbes();
    if (poller != null) {
      poller.cancel(false);
      poller = null;
    }
  }

  @Override
  public void ready(long g, boolean nowReady, String why) {
    boolean changed = update(() -> {
      if (g != gen || state != InstanceState.RUNNING || ready == nowReady) {
        return false;
      }
      ready = nowReady;
      return true;
    });
    if (changed) {
      if (nowReady) {
        rt.event(this, EventType.NORMAL, "Ready", "Instance is ready");
      } else if (why != null) {
        rt.event(this, EventType.WARNING, "Unhealthy", why);
      }
    }
  }

  @Override
  public void unhealthy(long g, String why) {
    rt.event(this, EventType.WARNING, "Unhealthy", why + "; restarting");
    send(new Unhealthy(g));
  }

  /** Executes a command in the running container. */
  dev.berth.core.runtime.ExecResult exec(java.util.List<String> command, Duration timeout) {
    if (snapshotState() != InstanceState.RUNNING) {
      throw new RuntimeFailure("instance " + id + " is not running (" + snapshotState() + ")");
    }
    return rt.runc.exec(id, command, timeout);
  }

  // --- state, snapshot, persistence

  Instance snapshot() {
    lock.lock();
    try {
      return new Instance(id, app, ordinal, rt.nodeName, ip, rt.network.gateway(), revision, state, ready, restarts, lastExit, startedAt, true, message);
    } finally {
      lock.unlock();
    }
  }

  AppSpec spec() {
    lock.lock();
    try {
      return spec;
    } finally {
      lock.unlock();
    }
  }

  boolean removed() {
    lock.lock();
    try {
      return removed;
    } finally {
      lock.unlock();
    }
  }

  private InstanceState snapshotState() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  private void update(Runnable change) {
    update(() -> {
      change.run();
      return true;
    });
  }

  private boolean update(java.util.function.BooleanSupplier change) {
    Instance before;
    Instance after;
    boolean changed;
    boolean gone;
    lock.lock();
    try {
      before = snapshot();
      changed = change.getAsBoolean();
      after = snapshot();
      gone = removed;
    } finally {
      lock.unlock();
    }
    if (changed && !gone && !after.equals(before)) {
      rt.changed(after);
    }
    if (changed && (before.restarts() != after.restarts() || before.revision() != after.revision())) {
      persistQuietly();
    }
    return changed;
  }

  private void persist() throws IOException {
    Instance i = snapshot();
    new InstanceRecord(app, ordinal, i.revision(), spec(), lower, shimPid, i.startedAt() == null ? 0 : i.startedAt().toEpochMilli(), i.restarts(), cpus)
        .write(dirs.state());
  }

  private void persistQuietly() {
    try {
      if (Files.isDirectory(dirs.bundle())) {
        persist();
      }
    } catch (IOException e) {
      log.warn("{}: cannot persist state: {}", id, e.getMessage());
    }
  }

  private Optional<Integer> readExitStatus() {
    return rt.containers.exitStatus(dirs);
  }

  private long oomKills() {
    return rt.containers.oomKills(id);
  }

  private Optional<String> runcError() {
    return rt.containers.runcError(dirs);
  }

  static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
