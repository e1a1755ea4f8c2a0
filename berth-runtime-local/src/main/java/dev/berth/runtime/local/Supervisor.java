package dev.berth.runtime.local;

import dev.berth.core.app.AppSpec;
import dev.berth.core.event.EventType;
import dev.berth.core.runtime.ExecResult;
import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.InstanceSlot;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.runtime.Severity;
import dev.berth.core.time.Scheduler;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one app instance: PENDING → RUNNING → (exit) BACKOFF → restart, FAILED →
 * retry after back-off, STOPPING → EXITED, removed. Signals (apply, adopt, restart, remove, exited,
 * back-off over, unhealthy, close) arrive through a {@link Mailbox}, so every change happens in
 * sequence; readers take a snapshot under the instance's lock. The container itself is started,
 * watched, stopped and released by the {@link ContainerLifecycle}; changes and events go to the
 * {@link SupervisorListener}. The loop never dies: a failure becomes state FAILED, a Warning event
 * and a retry after back-off.
 */
final class Supervisor implements Prober.Sink {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
  private static final String BY_REQUEST = "Restarted by request";

  sealed interface Signal {}

  record Apply(InstanceSlot slot) implements Signal {}

  /**
   * Take over the container {@code rec} describes; {@code decided} completes once the instance's
   * state says whether that container still runs (before any restart it needs).
   */
  record Adopt(InstanceRecord rec, CompletableFuture<Void> decided) implements Signal {
    Adopt(InstanceRecord rec) {
      this(rec, new CompletableFuture<>());
    }
  }

  /** Write the instance's record again (its readiness changed). */
  record Persist() implements Signal {}

  record Restart() implements Signal {}

  record Remove(boolean replace) implements Signal {}

  record Exited(long gen) implements Signal {}

  record Wake(long gen) implements Signal {}

  record Unhealthy(long gen) implements Signal {}

  record Close() implements Signal {}

  /**
   * Take {@code slot}'s revision in place: the running container's limits change, nothing restarts.
   * {@code done} gets null, or why it could not.
   */
  record Resize(InstanceSlot slot, CompletableFuture<String> done) implements Signal {}

  final String app;
  final int ordinal;
  final String id;
  private final InstanceDirs dirs;
  private final SupervisorParts parts;
  private final ContainerLifecycle lifecycle;
  private final SupervisorListener<Instance> listener;
  private final Mailbox<Signal> mailbox;
  private final ReentrantLock lock = new ReentrantLock();

  // guarded by lock: written by the actor, read by snapshot()
  private InstanceState state = InstanceState.PENDING;
  private boolean ready;
  private Instant readySince; // when the start or a probe last decided ready
  private int restarts;
  private int oomKills; // of this instance's ended containers; the live cgroup counts the rest
  private ExitInfo lastExit;
  private Instant startedAt;
  private String message;
  private String ip;
  private long revision = -1;
  private AppSpec spec;
  private boolean removed;

  // actor-only
  private long gen;
  private ContainerLifecycle.Running running;
  private Runnable stopProbes;
  private int failures;
  private Scheduler.Cancellable wake;
  private String lower;
  private String cpus;
  private boolean initNoted;

  Supervisor(
      SupervisorParts parts, String app, int ordinal, SupervisorListener<Instance> listener) {
    this.parts = parts;
    this.lifecycle = parts.lifecycle();
    this.listener = listener;
    this.app = app;
    this.ordinal = ordinal;
    this.id = InstanceIds.id(app, ordinal);
    this.dirs = InstanceDirs.of(parts.dataDir(), app, id);
    this.ip = lifecycle.address(id).orElse(null);
    this.mailbox =
        new Mailbox<>(
            parts.mailboxes().apply("berth-sup-" + id),
            this::handle,
            (s, t) -> fail("supervising", t));
  }

  InstanceDirs dirs() {
    return dirs;
  }

  void send(Signal s) {
    mailbox.send(s);
  }

  boolean idle() {
    return mailbox.empty();
  }

  private void handle(Signal s) {
    try {
      switch (s) {
        case Apply a -> apply(a.slot());
        case Adopt a -> {
          try {
            adopt(a.rec(), a.decided());
          } finally {
            a.decided().complete(null);
          }
        }
        case Persist p -> persistQuietly();
        case Restart r -> {
          if (spec != null && !removed) {
            stop("restart requested");
            restarted(BY_REQUEST);
          }
        }
        case Remove r -> remove(r.replace());
        case Exited e -> {
          if (e.gen() == gen && running != null) {
            exited();
          }
        }
        case Wake w -> woke(w.gen());
        case Unhealthy u -> {
          if (u.gen() == gen && running != null) {
            stop("liveness probe failed");
            restarted("Restarted: liveness probe failed");
          }
        }
        case Resize r -> r.done().complete(resize(r.slot()));
        case Close c -> {
          stopWatching();
          mailbox.close();
        }
      }
    } catch (IOException e) {
      throw new RuntimeFailure(e.getMessage(), e);
    }
  }

  private void woke(long g) {
    InstanceState st = snapshotState();
    if (g == gen && (st == InstanceState.BACKOFF || st == InstanceState.FAILED) && !removed) {
      if (st == InstanceState.BACKOFF) {
        restarted("Restarted after back-off");
      } else {
        start();
      }
    }
  }

  private void apply(InstanceSlot slot) throws IOException {
    boolean revisionChanged = spec != null && slot.revision() != revision;
    boolean wasRemoved = removed;
    if (revisionChanged) {
      stop("revision " + revision + " replaced by " + slot.revision());
      freshRoot();
      failures = 0;
    }
    update(
        () -> {
          spec = slot.spec();
          revision = slot.revision();
          removed = false;
        });
    InstanceState st = snapshotState();
    boolean waiting = st == InstanceState.BACKOFF || st == InstanceState.FAILED;
    if (running == null && (revisionChanged || wasRemoved || !waiting)) {
      start();
    }
  }

  /**
   * Changes this instance to {@code slot}'s revision without a restart: {@code runc update} on the
   * running container (a container not running takes the new spec at its next start). Returns null
   * when done, else why not (nothing changed then).
   */
  private String resize(InstanceSlot slot) {
    if (spec == null || removed) {
      return null;
    }
    if (running != null && !running.exit().isDone()) {
      try {
        lifecycle.resize(id, slot.spec().resources(), cpus);
      } catch (RuntimeException e) {
        return "instance " + id + ": " + e.getMessage();
      }
    }
    var r = slot.spec().resources();
    update(
        () -> {
          spec = slot.spec();
          revision = slot.revision();
        });
    persistQuietly();
    listener.event(
        EventType.NORMAL,
        "Resized",
        "Limits changed in place (revision "
            + slot.revision()
            + "): cpu "
            + r.cpu()
            + ", cpuLimit "
            + (r.cpuLimit() > 0 ? r.cpuLimit() : "none")
            + ", memory "
            + r.memoryMiB()
            + " MiB; not restarted");
    return null;
  }

  /**
   * Takes over a container of an earlier Berth process. The same container (same shim) keeps the
   * readiness recorded for it until its probes say otherwise, so that discovery, DNS and the
   * gateway do not lose a serving instance to a restart of Berth; any other starts not ready.
   */
  private void adopt(InstanceRecord rec, CompletableFuture<Void> decided) {
    lock.lock();
    try { // not update(): that would write the record before the shim is known
      spec = rec.spec();
      revision = rec.revision();
      restarts = rec.restarts();
      oomKills = rec.oomKills();
      startedAt = rec.startedAt() > 0 ? Instant.ofEpochMilli(rec.startedAt()) : null;
    } finally {
      lock.unlock();
    }
    lower = rec.lower();
    cpus = rec.cpus();
    long g = ++gen;
    Optional<ContainerLifecycle.Running> alive =
        lifecycle.adopt(id, dirs, rec.shimPid(), lower, cpus, () -> send(new Exited(g)));
    if (alive.isPresent()) {
      running = alive.get();
      boolean noReadiness = spec.health().readiness() == null;
      boolean remembered = !noReadiness && rec.readyIn(running.shim().pid());
      Instant since =
          remembered && rec.readySince() > 0 ? Instant.ofEpochMilli(rec.readySince()) : null;
      update(
          () -> {
            state = InstanceState.RUNNING;
            ready = noReadiness || remembered;
            readySince = remembered ? since : parts.scheduler().instant();
            message =
                remembered
                    ? "adopted after a restart of Berth; ready as its readiness probe last found"
                        + (since == null ? "" : " (ready since " + since + ")")
                    : "adopted after a restart of Berth";
          });
      decided.complete(null);
      persistQuietly(); // the shim found, which the next adoption compares with
      log.info(
          "{}: adopted running container (shim pid {}){}",
          id,
          running.shim().pid(),
          remembered ? ", ready as last probed" : "");
      startProbes(g);
    } else if (lifecycle.hasRemains(id, dirs)) {
      running = ended(ip);
      decided.complete(null);
      send(new Exited(g));
    } else {
      decided.complete(null);
      start();
    }
  }

  /** A container that ended while nobody watched it: only its remains are left to collect. */
  private ContainerLifecycle.Running ended(String addr) {
    return new ContainerLifecycle.Running(
        addr,
        lower,
        cpus,
        new Containers.Shim(0, CompletableFuture.completedFuture(-1), null),
        true);
  }

  /** Starts the container through the lifecycle. Failure → FAILED + back-off. */
  private void start() {
    long g = ++gen;
    cancelWake();
    AppSpec s = spec;
    update(
        () -> {
          state = InstanceState.PENDING;
          ready = false;
          message = "starting";
        });
    try {
      Containers.Workload w =
          new Containers.Workload(
              s.command(), s.args(), s.env(), s.resources(), s.lifecycle().init(), s.security());
      running =
          lifecycle.start(
              new ContainerLifecycle.Start(id, dirs, s.image(), w, lower, false, !initNoted),
              () -> send(new Exited(g)));
      initNoted = true;
      lower = running.lower();
      cpus = running.cpus();
      String addr = running.ip();
      Instant now = parts.scheduler().instant();
      boolean noReadiness = s.health().readiness() == null;
      update(
          () -> {
            ip = addr;
            state = InstanceState.RUNNING;
            startedAt = now;
            ready = noReadiness;
            readySince = now;
            message = null;
          });
      persist();
      listener.event(
          EventType.NORMAL,
          "Started",
          "Started container with IP " + addr + " (revision " + revision + ")");
      if (noReadiness) {
        listener.event(EventType.NORMAL, "Ready", "Instance is ready");
      }
      startProbes(g);
    } catch (Exception e) {
      fail("starting", e);
    }
  }

  private void exited() throws IOException {
    int shimStatus = running.exit().getNow(-1);
    stopWatching();
    running = null;
    ContainerLifecycle.Ended end = lifecycle.collect(id, dirs, shimStatus);
    Instant now = parts.scheduler().instant();
    Duration up = startedAt() == null ? Duration.ZERO : Duration.between(startedAt(), now);
    if (end.runcFailed()) {
      fail("running the container", new RuntimeFailure("runc: " + end.runcError().get()));
      return;
    }
    ExitInfo exit = ExitInfo.of(end.status(), end.oom(), now);
    failures = parts.backoff().indexAfterRun(failures, up);
    Duration delay = parts.backoff().delay(failures);
    failures++;
    update(
        () -> {
          if (end.oom()) {
            oomKills++; // with the state change, so usage never counts this kill twice
          }
          lastExit = exit;
          state = InstanceState.BACKOFF;
          ready = false;
          message = exit.message() + "; restarting in " + human(delay);
        });
    if (end.oom()) {
      listener.event(
          EventType.WARNING,
          "OOMKilled",
          "Container exceeded its memory limit of "
              + spec.resources().memoryMiB()
              + " MiB and was killed");
    } else {
      listener.event(Severity.ofExit(exit), "Exited", "Container " + exit.message());
    }
    scheduleWake(delay);
  }

  private void restarted(String why) {
    update(() -> restarts++);
    Duration last = failures == 0 ? Duration.ZERO : parts.backoff().delay(failures - 1);
    listener.event(
        Severity.ofRestart(why.equals(BY_REQUEST)),
        "Restarted",
        why
            + (last.isZero() ? "" : " (back-off " + human(last) + ")")
            + ", restart "
            + snapshot().restarts());
    start();
  }

  /**
   * Graceful stop: preStop hook, SIGTERM, wait, SIGKILL, runc delete. Nothing running → runc
   * cleanup only.
   */
  private void stop(String why) throws IOException {
    cancelWake();
    ContainerLifecycle.Running r = running;
    gen++;
    if (r == null) {
      lifecycle.discard(id);
      return;
    }
    stopProbes();
    update(
        () -> {
          state = InstanceState.STOPPING;
          ready = false;
          message = why;
        });
    int timeout = spec.lifecycle().stopTimeoutSeconds();
    listener.event(
        EventType.NORMAL,
        "Killing",
        "Stopping container (" + why + "), SIGKILL after " + timeout + "s");
    Instant began = startedAt();
    boolean young =
        began != null
            && Duration.between(began, parts.scheduler().instant()).compareTo(StopSequence.YOUNG)
                < 0;
    ContainerLifecycle.Ended end =
        lifecycle.stop(id, dirs, r, spec.lifecycle().preStop(), Duration.ofSeconds(timeout), young);
    running = null;
    ExitInfo info = ExitInfo.of(end.status(), end.oom(), parts.scheduler().instant());
    update(
        () -> {
          lastExit = info;
          state = InstanceState.EXITED;
        });
  }

  private void remove(boolean replace) throws IOException {
    if (spec == null) {
      return;
    }
    stop(replace ? "instance replaced" : "instance deleted");
    freshRoot();
    failures = 0; // whatever comes next is a fresh instance: no back-off, no restarts, no last exit
    update(
        () -> {
          restarts = 0;
          lastExit = null;
        });
    if (replace) {
      start();
      return;
    }
    lifecycle.release(
        id, dirs, true); // the runtime releases the address when the ordinal goes for good
    update(
        () -> {
          removed = true;
          state = InstanceState.EXITED;
          ip = null;
        });
    listener.gone();
  }

  private void freshRoot() throws IOException {
    lifecycle.freshRoot(dirs);
    lower = null;
  }

  private void fail(String doing, Throwable t) {
    String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    log.warn("{}: failed {}: {}", id, doing, why, t instanceof RuntimeFailure ? null : t);
    stopWatching();
    if (running != null && running.exit().isDone()) {
      running = null;
    }
    Duration delay = parts.backoff().delay(failures);
    failures++;
    update(
        () -> {
          state = InstanceState.FAILED;
          ready = false;
          message = "failed " + doing + ": " + why + "; retrying in " + human(delay);
        });
    listener.event(
        EventType.WARNING,
        "Failed",
        "Failed " + doing + ": " + why + "; retrying in " + human(delay));
    if (running == null) {
      scheduleWake(delay);
    }
  }

  private void scheduleWake(Duration delay) {
    cancelWake();
    long g = gen;
    wake = parts.scheduler().schedule(delay, () -> send(new Wake(g)));
  }

  private void cancelWake() {
    if (wake != null) {
      wake.cancel();
      wake = null;
    }
  }

  private void startProbes(long g) {
    if (spec.health().readiness() != null || spec.health().liveness() != null) {
      stopProbes = parts.probes().start(g, ip, spec, id, snapshot().ready(), this);
    }
  }

  private void stopProbes() {
    if (stopProbes != null) {
      stopProbes.run();
      stopProbes = null;
    }
  }

  private void stopWatching() {
    stopProbes();
    if (running != null) {
      running.shim().stopWatching();
    }
  }

  @Override
  public void ready(long g, boolean nowReady, String why) {
    Instant now = parts.scheduler().instant();
    boolean changed =
        update(
            () -> {
              if (g != gen || state != InstanceState.RUNNING || ready == nowReady) {
                return false;
              }
              ready = nowReady;
              readySince = now;
              return true;
            });
    if (changed) {
      send(new Persist()); // a new Berth process takes this readiness over with the container
      if (nowReady) {
        listener.event(EventType.NORMAL, "Ready", "Instance is ready");
      } else if (why != null) {
        listener.event(EventType.WARNING, "Unhealthy", why);
      }
    }
  }

  @Override
  public void unhealthy(long g, String why) {
    listener.event(EventType.WARNING, "Unhealthy", why + "; restarting");
    send(new Unhealthy(g));
  }

  /** Executes a command in the running container. */
  ExecResult exec(List<String> command, Duration timeout) {
    if (snapshotState() != InstanceState.RUNNING) {
      throw new RuntimeFailure("instance " + id + " is not running (" + snapshotState() + ")");
    }
    return lifecycle.exec(id, command, timeout);
  }

  /** Starts {@code command} with a terminal in the running container. */
  dev.berth.core.runtime.Terminal terminal(List<String> command, int columns, int rows) {
    if (snapshotState() != InstanceState.RUNNING) {
      throw new dev.berth.core.support.ConflictException(
          "instance " + id + " is not running (" + snapshotState() + ")");
    }
    return lifecycle.terminal(id, command, columns, rows);
  }

  // --- state, snapshot, persistence

  Instance snapshot() {
    lock.lock();
    try {
      return new Instance(
          id,
          app,
          ordinal,
          parts.nodeName(),
          ip,
          parts.gateway(),
          revision,
          state,
          ready,
          restarts,
          lastExit,
          startedAt,
          true,
          message);
    } finally {
      lock.unlock();
    }
  }

  AppSpec spec() {
    return locked(() -> spec);
  }

  /** OOM kills that ended earlier containers of this instance (persisted with its record). */
  int oomKills() {
    return locked(() -> oomKills);
  }

  boolean removed() {
    return locked(() -> removed);
  }

  private InstanceState snapshotState() {
    return locked(() -> state);
  }

  private Instant startedAt() {
    return locked(() -> startedAt);
  }

  private <T> T locked(java.util.function.Supplier<T> read) {
    lock.lock();
    try {
      return read.get();
    } finally {
      lock.unlock();
    }
  }

  private void update(Runnable change) {
    update(
        () -> {
          change.run();
          return true;
        });
  }

  private boolean update(BooleanSupplier change) {
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
      listener.changed(after);
    }
    if (changed
        && (before.restarts() != after.restarts() || before.revision() != after.revision())) {
      persistQuietly();
    }
    return changed;
  }

  private void persist() throws IOException {
    Instance i = snapshot();
    long shimPid = running == null ? 0 : running.shim().pid();
    new InstanceRecord(
            app,
            ordinal,
            i.revision(),
            spec(),
            lower,
            shimPid,
            epochMillis(i.startedAt()),
            i.restarts(),
            cpus,
            oomKills(),
            i.ready(),
            epochMillis(locked(() -> readySince)))
        .write(dirs.state());
  }

  private static long epochMillis(Instant t) {
    return t == null ? 0 : t.toEpochMilli();
  }

  private void persistQuietly() {
    try {
      if (java.nio.file.Files.isDirectory(dirs.bundle())) {
        persist();
      }
    } catch (IOException e) {
      log.warn("{}: cannot persist state: {}", id, e.getMessage());
    }
  }

  static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
