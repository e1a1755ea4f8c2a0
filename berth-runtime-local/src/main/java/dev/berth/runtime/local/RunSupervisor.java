package dev.berth.runtime.local;

import dev.berth.core.app.CpuPolicy;
import dev.berth.core.event.EventType;
import dev.berth.core.runtime.ExecResult;
import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.task.RunState;
import dev.berth.core.task.TaskSpec;
import dev.berth.oci.PreparedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one task run: an actor on a virtual thread, like {@link Supervisor}, that takes signals
 * (start, adopt, exited, retry, deadline, stop, reclaim, exec, close) one at a time. Each attempt gets
 * a fresh overlay on the image, the run's netns and IP, cgroup limits and the shim; a failed attempt
 * is retried after back-off while retries and time are left; the timeout counts from the first start
 * over all attempts. After the end everything is reclaimed, except the container state of a failed
 * run with {@code keepOnFailure}. Every change is persisted to {@code run.json} before it is
 * observable through events, so a new runtime can adopt or report the run. The loop never dies: a
 * failure becomes a failed attempt (or, after the end, a retried reclaim) with a Warning event.
 */
final class RunSupervisor {
  private static final Logger log = LoggerFactory.getLogger(RunSupervisor.class);
  static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

  sealed interface Signal {}

  record Start() implements Signal {}

  record Adopt(RunRecord rec) implements Signal {}

  record Exited(long gen) implements Signal {}

  record Retry(long gen) implements Signal {}

  record Deadline() implements Signal {}

  record Stop(Duration grace) implements Signal {}

  record Reclaim() implements Signal {}

  record Exec(List<String> command, Duration timeout, CompletableFuture<ExecResult> result) implements Signal {}

  record Close() implements Signal {}

  final String id;
  final RunWorkload work;
  private final LocalRuntime rt;
  private final InstanceDirs dirs;
  private final LinkedBlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Backoff backoff;
  private final RunPolicy policy;
  private final StopSequence stopper;

  // guarded by lock: written by the actor, read by snapshot()
  private RunState state = RunState.QUEUED;
  private int attempts;
  private ExitInfo lastExit;
  private boolean reclaimed;
  /** When the first container of the run was created: the process started (D6, dispatch latency). */
  private Instant startedAt;
  /** When the first attempt began: the timeout counts from here (a Job's activeDeadlineSeconds). */
  private Instant firstAttemptAt;
  private Instant endedAt;
  private String message;

  // actor-only
  private long gen;
  private Containers.Shim shim;
  private ScheduledFuture<?> retry;
  private Instant retryAt;
  private ScheduledFuture<?> deadline;
  private String lower;
  private String cpus;
  private int execs;
  private boolean closed;

  RunSupervisor(LocalRuntime rt, RunWorkload work) {
    this.rt = rt;
    this.work = work;
    this.id = work.runId();
    this.dirs = InstanceDirs.ofRun(rt.config.dataDir(), id);
    this.backoff = new Backoff(rt.config.backoffInitial(), rt.config.backoffMax(), Backoff.RESET_AFTER);
    this.stopper = new StopSequence(rt.runc, id);
    this.policy = new RunPolicy(work.retries(), work.timeout(), backoff);
  }

  InstanceDirs dirs() {
    return dirs;
  }

  void begin() {
    Thread.ofVirtual().name("berth-run-" + id).start(this::loop);
  }

  void send(Signal s) {
    queue.add(s);
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
        trouble(s, t);
      }
    }
  }

  private void handle(Signal s) throws IOException {
    switch (s) {
      case Start st -> {
        if (snapshot().state() == RunState.QUEUED) {
          attempt();
        }
      }
      case Adopt a -> adopt(a.rec());
      case Exited e -> {
        if (e.gen() == gen && shim != null) {
          exited();
        }
      }
      case Retry r -> {
        if (r.gen() == gen && !snapshot().state().isFinal() && shim == null) {
          attempt();
        }
      }
      case Deadline d -> timedOut();
      case Stop st -> cancel(st.grace());
      case Reclaim r -> {
        if (!snapshot().state().isFinal()) {
          cancel(grace());
        }
        if (!snapshot().reclaimed()) {
          reclaim();
        }
      }
      case Exec x -> x.result().complete(execOnKeptRoot(x.command(), x.timeout()));
      case Close c -> {
        closed = true;
        if (shim != null) {
          shim.stopWatching();
        }
        cancelTimers();
      }
    }
  }

  // --- attempts

  /** One attempt: fresh overlay on the image, network, bundle, shim. A failure is a failed attempt. */
  private void attempt() throws IOException {
    long g = ++gen;
    retryAt = null;
    Instant now = rt.clock.instant();
    if (firstAttemptAt == null) {
      firstAttemptAt = now;
    }
    update(() -> {
      attempts++;
      state = RunState.STARTING;
      message = "starting attempt " + attempts;
    });
    persist();
    scheduleDeadline();
    TaskSpec spec = work.spec();
    int attempt = snapshot().attempts();
    StartTimer timer = StartTimer.begin(id, rt.clock.millis());
    try {
      PreparedImage image = rt.images.prepare(spec.image());
      timer.lap("image");
      freshFilesystem();
      timer.lap("overlay");
      String addr = rt.ipam.allocate(id);
      timer.lap("ip");
      rt.network.ensureInstance(id, addr);
      timer.lap("network");
      Files.createDirectories(dirs.bundle());
      Files.createDirectories(dirs.logDir());
      lower = image.rootfs().toAbsolutePath().toString();
      Overlay.mount(image.rootfs(), dirs.upper(), dirs.work(), dirs.rootfs());
      timer.lap("overlay");
      cpus = spec.resources().cpuPolicy() == CpuPolicy.CPUSET ? rt.cpusets.allocate(id, spec.resources().cpu()) : null;
      if (rt.init == null && attempt == 1) {
        ConsoleLogs.note(dirs.console(), "no static tini found (/usr/bin/tini-static); running the entry without an init");
      }
      var w = new Containers.Workload(spec.command(), spec.args(), spec.env(), spec.resources(), true);
      rt.containers.writeBundle(id, dirs, image, w, addr, cpus, rt.init);
      timer.lap("bundle");
      shim = rt.containers.launch(id, dirs);
      timer.lap("runc");
      shim.exit().thenRun(() -> send(new Exited(g)));
      persist();
      if (!shim.exit().isDone() || rt.runc.exists(id)) {
        update(() -> {
          if (startedAt == null) {
            startedAt = rt.clock.instant();
          }
          state = RunState.RUNNING;
          message = null;
        });
        persist();
      }
      rt.runEvent(this, EventType.NORMAL, "Started", "Started attempt " + attempt + " of " + (policy.retries() + 1) + " with IP " + addr);
      timer.lap("report");
      timer.log();
    } catch (Exception e) {
      if (shim != null && !shim.exit().isDone()) {
        throw new RuntimeFailure(why(e), e); // the container runs: its exit decides the attempt
      }
      shim = null;
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      attemptFailed(null, "failed starting: " + why(e));
    }
  }

  private void exited() throws IOException {
    ExitInfo exit = collectExit(shim.exit().getNow(-1));
    if (exit.reason() == ExitReason.OOM) {
      rt.runEvent(this, EventType.WARNING, "OOMKilled", "Run exceeded its memory limit of " + work.spec().resources().memoryMiB() + " MiB and was killed");
    }
    if (exit.code() == 0 && exit.reason() == ExitReason.COMPLETED) {
      finish(RunState.SUCCEEDED, exit, EventType.NORMAL, "Succeeded", "Run succeeded after " + snapshot().attempts() + " attempt(s)");
    } else {
      attemptFailed(exit, exit.message());
    }
  }

  /** How the container of the current attempt ended; deletes it from runc (the overlay stays). */
  private ExitInfo collectExit(int shimStatus) throws IOException {
    shim.stopWatching();
    shim = null;
    int status = rt.containers.exitStatus(dirs).orElse(shimStatus < 0 ? 255 : shimStatus);
    boolean oom = rt.containers.oomKills(id) > 0;
    Optional<String> runcError = rt.containers.runcError(dirs);
    rt.runc.delete(id, true);
    Files.deleteIfExists(dirs.exit());
    Instant now = rt.clock.instant();
    if (runcError.isPresent() && status != 0 && !oom) {
      return new ExitInfo(status, ExitReason.ERROR, 0, now, "runc: " + runcError.get());
    }
    return ExitInfo.of(status, oom, now);
  }

  /** Retries after back-off while retries and time are left; otherwise the run ends failed (or timed out). */
  private void attemptFailed(ExitInfo exit, String why) throws IOException {
    int n = snapshot().attempts();
    RunPolicy.Next next = policy.afterAttempt(n, false, deadlineBase(), rt.clock.instant());
    switch (next) {
      case RunPolicy.TimeOut t -> finish(RunState.TIMED_OUT, exit, EventType.WARNING, "TimedOut",
          "Run exceeded its timeout of " + Supervisor.human(work.timeout()) + "; attempt " + n + ": " + why);
      case RunPolicy.Fail f -> finish(RunState.FAILED, exit, EventType.WARNING, "Failed",
          "Run failed" + (n > 1 ? " after " + n + " attempts" : "") + ": " + why);
      case RunPolicy.Succeed s -> throw new IllegalStateException("a failed attempt cannot succeed");
      case RunPolicy.RetryAfter r -> {
        Duration delay = r.delay();
        update(() -> {
          if (exit != null) {
            lastExit = exit;
          }
          state = RunState.STARTING;
          message = "attempt " + n + " failed: " + why + "; retrying in " + Supervisor.human(delay);
        });
        retryAt = rt.clock.instant().plus(delay);
        persist();
        rt.runEvent(this, EventType.WARNING, "AttemptFailed",
            "Attempt " + n + " of " + (policy.retries() + 1) + " failed: " + why + "; retrying in " + Supervisor.human(delay));
        scheduleRetry(delay);
      }
    }
  }

  private void timedOut() throws IOException {
    if (snapshot().state().isFinal()) {
      return;
    }
    ExitInfo exit = shim == null ? null : stopContainer(grace(), "timeout");
    finish(RunState.TIMED_OUT, exit, EventType.WARNING, "TimedOut",
        "Run exceeded its timeout of " + Supervisor.human(work.timeout()) + (exit == null ? "" : "; stopped with SIGTERM, SIGKILL after " + Supervisor.human(grace())));
  }

  private void cancel(Duration grace) throws IOException {
    if (snapshot().state().isFinal()) {
      return;
    }
    Duration g = grace == null ? grace() : grace;
    ExitInfo exit = shim == null ? null : stopContainer(g, "cancelled");
    finish(RunState.CANCELLED, exit, EventType.NORMAL, "Cancelled", "Run cancelled" + (exit == null ? "" : "; " + exit.message()));
  }

  /** SIGTERM, {@code grace}, SIGKILL; then the exit is collected as usual. */
  private ExitInfo stopContainer(Duration grace, String why) throws IOException {
    gen++;
    Containers.Shim s = shim;
    log.info("{}: stopping ({}), SIGKILL after {}", id, why, Supervisor.human(grace));
    Instant began = snapshot().startedAt();
    boolean young = began != null && Duration.between(began, rt.clock.instant()).compareTo(StopSequence.YOUNG) < 0;
    Optional<Integer> stopped = stopper.stop(s.exit(), List.of(), grace, young);
    if (stopped.isEmpty()) {
      log.warn("{}: shim {} did not exit after SIGKILL; killing it", id, s.pid());
      ProcessHandle.of(s.pid()).ifPresent(h -> {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
      });
    }
    int status = stopped.filter(x -> x >= 0).orElse(137);
    return collectExit(status);
  }

  /** The run ended: record it, tell, and reclaim unless a failed run is to be kept. */
  private void finish(RunState end, ExitInfo exit, EventType type, String reason, String text) throws IOException {
    cancelTimers();
    gen++;
    Instant now = rt.clock.instant();
    boolean keep = work.keepOnFailure() && (end == RunState.FAILED || end == RunState.TIMED_OUT);
    update(() -> {
      if (exit != null) {
        lastExit = exit;
      }
      state = end;
      endedAt = now;
      message = keep ? text + "; kept for debugging until reclaimed" : text;
    });
    persist();
    rt.runEvent(this, type, reason, text);
    if (!keep) {
      reclaim();
    }
  }

  // --- reclaim, adoption, exec

  /** Removes container, overlay, bundle, cgroups, netns and IP. Idempotent; the log stays. */
  private void reclaim() throws IOException {
    if (rt.runc.exists(id)) {
      rt.runc.delete(id, true);
    }
    freshFilesystem();
    Fs.deleteTree(dirs.bundle());
    rt.network.removeInstance(id);
    rt.ipam.release(id);
    rt.cpusets.release(id);
    rt.containers.removeCgroups(id);
    update(() -> reclaimed = true);
    persist();
    rt.runEvent(this, EventType.NORMAL, "Reclaimed", "Removed the run's container, file system, cgroup and network; its log stays for "
        + rt.config.logRetention().toDays() + " days");
  }

  /** Takes over the recorded status before the actor starts, so that the run is queryable at once. */
  void restore(RunRecord rec) {
    update(() -> {
      state = rec.state();
      attempts = rec.attempts();
      lastExit = rec.lastExit() == null ? null : rec.lastExit().info();
      reclaimed = rec.reclaimed();
      startedAt = RunRecord.instant(rec.startedAt());
      firstAttemptAt = startedAt;
      endedAt = RunRecord.instant(rec.endedAt());
      message = rec.message();
    });
    lower = rec.lower();
    cpus = rec.cpus();
  }

  private void adopt(RunRecord rec) throws IOException {
    if (rec.state().isFinal()) {
      boolean keep = work.keepOnFailure() && (rec.state() == RunState.FAILED || rec.state() == RunState.TIMED_OUT);
      if (!rec.reclaimed() && !keep) {
        reclaim(); // Berth ended between the end of the run and its reclaim
      }
      return;
    }
    if (cpus != null) {
      rt.cpusets.restore(id, cpus);
    }
    if (rec.state() == RunState.QUEUED) {
      attempt();
      return;
    }
    scheduleDeadline();
    Optional<Containers.Shim> alive = rt.containers.findShim(rec.shimPid(), dirs);
    if (alive.isPresent()) {
      long g = ++gen;
      shim = alive.get();
      shim.exit().thenRun(() -> send(new Exited(g)));
      update(() -> {
        state = RunState.RUNNING;
        message = "adopted after a restart of Berth";
      });
      log.info("{}: adopted running run (shim pid {})", id, shim.pid());
    } else if (Files.exists(dirs.exit()) || rt.runc.exists(id)) {
      if (rt.runc.state(id).filter(Runc.State::running).isPresent()) {
        rt.runc.kill(id, "KILL"); // a container without its shim: its exit status can never be known
      }
      gen++;
      shim = new Containers.Shim(0, CompletableFuture.completedFuture(-1), null);
      exited();
    } else if (rec.retryAt() > 0) {
      long left = Math.max(0, rec.retryAt() - rt.clock.millis());
      retryAt = Instant.ofEpochMilli(rec.retryAt());
      scheduleRetry(Duration.ofMillis(left));
    } else {
      update(() -> attempts = Math.max(0, attempts - 1)); // Berth ended while preparing this attempt
      attempt();
    }
  }

  /**
   * Runs {@code command} in a helper container on the kept root file system of an ended run, with the
   * run's environment, user, network and limits; the helper is deleted afterwards.
   */
  private ExecResult execOnKeptRoot(List<String> command, Duration timeout) throws IOException {
    RunStatus now = snapshot();
    if (!now.state().isFinal() || now.reclaimed() || !Overlay.isMounted(dirs.rootfs()) || !Files.exists(dirs.config())) {
      throw new RuntimeFailure("run " + id + " has no kept file system to exec in (" + now.state() + (now.reclaimed() ? ", reclaimed" : "") + ")");
    }
    return rt.containers.execOnRoot(id + ".exec-" + (++execs), dirs, command, timeout);
  }

  /** Executes a command: {@code runc exec} while running, a helper container on a kept file system after. */
  ExecResult exec(List<String> command, Duration timeout) {
    RunStatus now = snapshot();
    if (now.state() == RunState.RUNNING) {
      return rt.runc.exec(id, command, timeout);
    }
    if (!now.state().isFinal() || now.reclaimed()) {
      throw new RuntimeFailure("run " + id + " is " + now.state() + (now.reclaimed() ? " and reclaimed" : "") + ": nothing to exec in");
    }
    CompletableFuture<ExecResult> result = new CompletableFuture<>();
    send(new Exec(command, timeout, result));
    try {
      return result.get(timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new RuntimeFailure("exec in run " + id + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new RuntimeFailure("exec in run " + id + " did not finish in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted while exec in run " + id, e);
    }
  }

  // --- failures, timers

  private void trouble(Signal s, Throwable t) {
    String why = why(t);
    log.warn("{}: failed handling {}: {}", id, s, why, t instanceof RuntimeFailure ? null : t);
    if (s instanceof Exec x) {
      x.result().completeExceptionally(t);
      return;
    }
    try {
      if (shim != null && !shim.exit().isDone()) {
        rt.runEvent(this, EventType.WARNING, "Warning", "Failed " + what(s) + ": " + why + "; the run goes on");
      } else if (snapshot().state().isFinal()) {
        Duration delay = backoff.delay(2);
        update(() -> message = "reclaim failed: " + why + "; retrying in " + Supervisor.human(delay));
        rt.runEvent(this, EventType.WARNING, "ReclaimFailed", "Failed " + what(s) + ": " + why + "; retrying in " + Supervisor.human(delay));
        if (!snapshot().reclaimed() && !closed) {
          rt.scheduler.schedule(() -> send(new Reclaim()), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
      } else {
        shim = null;
        attemptFailed(null, "failed " + what(s) + ": " + why);
      }
    } catch (Throwable again) {
      log.warn("{}: cannot record the failure: {}", id, why(again), again);
    }
  }

  private static String what(Signal s) {
    return switch (s) {
      case Adopt a -> "adopting the run";
      case Reclaim r -> "reclaiming the run";
      case Stop st -> "stopping the run";
      default -> "supervising the run";
    };
  }

  private static String why(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private void scheduleRetry(Duration delay) {
    if (retry != null) {
      retry.cancel(false);
    }
    long g = gen;
    retry = rt.scheduler.schedule(() -> send(new Retry(g)), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Instant deadlineBase() {
    return firstAttemptAt != null ? firstAttemptAt : snapshot().startedAt();
  }

  private void scheduleDeadline() {
    Optional<Instant> due = policy.deadline(deadlineBase());
    if (deadline != null || due.isEmpty()) {
      return;
    }
    long left = Math.max(0, Duration.between(rt.clock.instant(), due.get()).toMillis());
    deadline = rt.scheduler.schedule(() -> send(new Deadline()), left, TimeUnit.MILLISECONDS);
  }

  private void cancelTimers() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
    retryAt = null;
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private Duration grace() {
    return work.grace() == null || work.grace().isNegative() ? DEFAULT_GRACE : work.grace();
  }

  /** Unmounts the overlay and wipes the writable layer: the next attempt gets the image as it is. */
  private void freshFilesystem() throws IOException {
    Overlay.unmount(dirs.rootfs());
    Fs.deleteTree(dirs.upper());
    Fs.deleteTree(dirs.work());
  }

  // --- state, snapshot, persistence

  RunStatus snapshot() {
    lock.lock();
    try {
      return new RunStatus(id, state, attempts, lastExit, rt.nodeName, rt.network.gateway(), reclaimed, startedAt, endedAt, message);
    } finally {
      lock.unlock();
    }
  }

  private void update(Runnable change) {
    RunStatus before;
    RunStatus after;
    lock.lock();
    try {
      before = snapshot();
      change.run();
      after = snapshot();
    } finally {
      lock.unlock();
    }
    if (!after.equals(before)) {
      rt.runChanged(after);
    }
  }

  private void persist() throws IOException {
    RunStatus s = snapshot();
    Files.createDirectories(dirs.runRecord().getParent());
    record(s).write(dirs.runRecord());
  }

  private RunRecord record(RunStatus s) {
    return new RunRecord(id, work.task(), work.spec(), policy.timeout() == null ? 0 : policy.timeout().toMillis(), grace().toMillis(), work.retries(),
        work.keepOnFailure(), s.state(), s.attempts(), RunRecord.Exit.of(s.lastExit()), s.reclaimed(), RunRecord.millis(s.startedAt()),
        RunRecord.millis(s.endedAt()), s.message(), RunRecord.millis(retryAt), shim == null ? 0 : shim.pid(), lower, cpus);
  }

  /** Writes the first record of a new run before its actor starts, so that the run survives a crash at once. */
  void persistQueued() throws IOException {
    persist();
  }
}
