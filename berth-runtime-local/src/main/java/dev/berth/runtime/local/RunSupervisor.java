package dev.berth.runtime.local;

import dev.berth.core.event.EventType;
import dev.berth.core.runtime.ExecResult;
import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.task.RunState;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.time.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one task run: QUEUED → STARTING → RUNNING → SUCCEEDED, or a failed attempt
 * retried after back-off while retries and time are left, else FAILED or TIMED_OUT; CANCELLED on
 * request. Signals (start, adopt, exited, retry, deadline, stop, reclaim, exec, close) arrive
 * through a {@link Mailbox}, like {@link Supervisor}'s. Each attempt is one start of the {@link
 * ContainerLifecycle} with a fresh root; the timeout counts from the first start over all attempts.
 * After the end the lifecycle releases everything, except the container state of a failed run with
 * {@code keepOnFailure}. Every change is persisted to {@code run.json} before it is observable
 * through the {@link SupervisorListener}, so a new runtime can adopt or report the run. The loop
 * never dies: a failure becomes a failed attempt (or, after the end, a retried reclaim) with a
 * Warning event.
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

  record Exec(List<String> command, Duration timeout, CompletableFuture<ExecResult> result)
      implements Signal {}

  record Close() implements Signal {}

  final String id;
  final RunWorkload work;
  private final SupervisorParts parts;
  private final ContainerLifecycle lifecycle;
  private final SupervisorListener<RunStatus> listener;
  private final InstanceDirs dirs;
  private final Mailbox<Signal> mailbox;
  private final ReentrantLock lock = new ReentrantLock();
  private final RunPolicy policy;

  // guarded by lock: written by the actor, read by snapshot()
  private RunState state = RunState.QUEUED;
  private int attempts;
  private ExitInfo lastExit;
  private boolean reclaimed;

  /**
   * When the first container of the run was created: the process started (what dispatch latency is
   * measured to).
   */
  private Instant startedAt;

  /** When the first attempt began: the timeout counts from here (a Job's activeDeadlineSeconds). */
  private Instant firstAttemptAt;

  private Instant endedAt;
  private String message;

  // actor-only
  private long gen;
  private ContainerLifecycle.Running running;
  private Scheduler.Cancellable retry;
  private Instant retryAt;
  private Scheduler.Cancellable deadline;
  private String lower;
  private String cpus;
  private int execs;
  private final java.util.concurrent.atomic.AtomicInteger terminals =
      new java.util.concurrent.atomic.AtomicInteger();
  private boolean closed;

  RunSupervisor(SupervisorParts parts, RunWorkload work, SupervisorListener<RunStatus> listener) {
    this.parts = parts;
    this.lifecycle = parts.lifecycle();
    this.listener = listener;
    this.work = work;
    this.id = work.runId();
    this.dirs = InstanceDirs.ofRun(parts.dataDir(), id);
    this.policy = new RunPolicy(work.retries(), work.timeout(), parts.backoff());
    this.mailbox =
        new Mailbox<>(parts.mailboxes().apply("berth-run-" + id), this::handle, this::trouble);
  }

  InstanceDirs dirs() {
    return dirs;
  }

  void send(Signal s) {
    mailbox.send(s);
  }

  private void handle(Signal s) {
    try {
      act(s);
    } catch (IOException e) {
      throw new RuntimeFailure(e.getMessage(), e);
    }
  }

  private void act(Signal s) throws IOException {
    switch (s) {
      case Start st -> {
        if (snapshot().state() == RunState.QUEUED) {
          attempt();
        }
      }
      case Adopt a -> adopt(a.rec());
      case Exited e -> {
        if (e.gen() == gen && running != null) {
          exited();
        }
      }
      case Retry r -> {
        if (r.gen() == gen && !snapshot().state().isFinal() && running == null) {
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
        if (running != null) {
          running.shim().stopWatching();
        }
        cancelTimers();
        mailbox.close();
      }
    }
  }

  // --- attempts

  /**
   * One attempt: a fresh start of the container through the lifecycle. A failure is a failed
   * attempt.
   */
  private void attempt() throws IOException {
    long g = ++gen;
    retryAt = null;
    Instant now = parts.scheduler().instant();
    if (firstAttemptAt == null) {
      firstAttemptAt = now;
    }
    update(
        () -> {
          attempts++;
          state = RunState.STARTING;
          message = "starting attempt " + attempts;
        });
    persist();
    scheduleDeadline();
    TaskSpec spec = work.spec();
    int attempt = snapshot().attempts();
    try {
      var w =
          new Containers.Workload(spec.command(), spec.args(), spec.env(), spec.resources(), true);
      running =
          lifecycle.start(
              new ContainerLifecycle.Start(id, dirs, spec.image(), w, lower, true, attempt == 1),
              () -> send(new Exited(g)));
    } catch (Exception e) {
      running = null;
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      attemptFailed(null, "failed starting: " + why(e));
      return;
    }
    lower = running.lower();
    cpus = running.cpus();
    persist();
    if (running.created()) {
      update(
          () -> {
            if (startedAt == null) {
              startedAt = parts.scheduler().instant();
            }
            state = RunState.RUNNING;
            message = null;
          });
      persist();
    }
    listener.event(
        EventType.NORMAL,
        "Started",
        "Started attempt "
            + attempt
            + " of "
            + (policy.retries() + 1)
            + " with IP "
            + running.ip());
  }

  private void exited() throws IOException {
    ExitInfo exit = collectExit(running.exit().getNow(-1));
    if (exit.reason() == ExitReason.OOM) {
      listener.event(
          EventType.WARNING,
          "OOMKilled",
          "Run exceeded its memory limit of "
              + work.spec().resources().memoryMiB()
              + " MiB and was killed");
    }
    if (exit.code() == 0 && exit.reason() == ExitReason.COMPLETED) {
      finish(
          RunState.SUCCEEDED,
          exit,
          EventType.NORMAL,
          "Succeeded",
          "Run succeeded after " + snapshot().attempts() + " attempt(s)");
    } else {
      attemptFailed(exit, exit.message());
    }
  }

  /** How the container of the current attempt ended; deletes it from runc (the overlay stays). */
  private ExitInfo collectExit(int shimStatus) throws IOException {
    running.shim().stopWatching();
    running = null;
    return lifecycle.collect(id, dirs, shimStatus).info(parts.scheduler().instant());
  }

  /**
   * Retries after back-off while retries and time are left; otherwise the run ends failed (or timed
   * out).
   */
  private void attemptFailed(ExitInfo exit, String why) throws IOException {
    int n = snapshot().attempts();
    RunPolicy.Next next =
        policy.afterAttempt(n, false, deadlineBase(), parts.scheduler().instant());
    switch (next) {
      case RunPolicy.TimeOut t ->
          finish(
              RunState.TIMED_OUT,
              exit,
              EventType.WARNING,
              "TimedOut",
              "Run exceeded its timeout of "
                  + Supervisor.human(work.timeout())
                  + "; attempt "
                  + n
                  + ": "
                  + why);
      case RunPolicy.Fail f ->
          finish(
              RunState.FAILED,
              exit,
              EventType.WARNING,
              "Failed",
              "Run failed" + (n > 1 ? " after " + n + " attempts" : "") + ": " + why);
      case RunPolicy.Succeed s ->
          throw new IllegalStateException("a failed attempt cannot succeed");
      case RunPolicy.RetryAfter r -> {
        Duration delay = r.delay();
        update(
            () -> {
              if (exit != null) {
                lastExit = exit;
              }
              state = RunState.STARTING;
              message =
                  "attempt " + n + " failed: " + why + "; retrying in " + Supervisor.human(delay);
            });
        retryAt = parts.scheduler().instant().plus(delay);
        persist();
        listener.event(
            EventType.WARNING,
            "AttemptFailed",
            "Attempt "
                + n
                + " of "
                + (policy.retries() + 1)
                + " failed: "
                + why
                + "; retrying in "
                + Supervisor.human(delay));
        scheduleRetry(delay);
      }
    }
  }

  private void timedOut() throws IOException {
    if (snapshot().state().isFinal()) {
      return;
    }
    ExitInfo exit = running == null ? null : stopContainer(grace(), "timeout");
    finish(
        RunState.TIMED_OUT,
        exit,
        EventType.WARNING,
        "TimedOut",
        "Run exceeded its timeout of "
            + Supervisor.human(work.timeout())
            + (exit == null
                ? ""
                : "; stopped with SIGTERM, SIGKILL after " + Supervisor.human(grace())));
  }

  private void cancel(Duration grace) throws IOException {
    if (snapshot().state().isFinal()) {
      return;
    }
    Duration g = grace == null ? grace() : grace;
    ExitInfo exit = running == null ? null : stopContainer(g, "cancelled");
    finish(
        RunState.CANCELLED,
        exit,
        EventType.NORMAL,
        "Cancelled",
        "Run cancelled" + (exit == null ? "" : "; " + exit.message()));
  }

  /** SIGTERM, {@code grace}, SIGKILL; then the exit is collected as usual. */
  private ExitInfo stopContainer(Duration grace, String why) throws IOException {
    gen++;
    log.info("{}: stopping ({}), SIGKILL after {}", id, why, Supervisor.human(grace));
    Instant began = snapshot().startedAt();
    boolean young =
        began != null
            && Duration.between(began, parts.scheduler().instant()).compareTo(StopSequence.YOUNG)
                < 0;
    ContainerLifecycle.Ended end = lifecycle.stop(id, dirs, running, List.of(), grace, young);
    running = null;
    return end.info(parts.scheduler().instant());
  }

  /** The run ended: record it, tell, and reclaim unless a failed run is to be kept. */
  private void finish(RunState end, ExitInfo exit, EventType type, String reason, String text)
      throws IOException {
    cancelTimers();
    gen++;
    Instant now = parts.scheduler().instant();
    boolean keep = work.keepOnFailure() && (end == RunState.FAILED || end == RunState.TIMED_OUT);
    update(
        () -> {
          if (exit != null) {
            lastExit = exit;
          }
          state = end;
          endedAt = now;
          message = keep ? text + "; kept for debugging until reclaimed" : text;
        });
    persist();
    listener.event(type, reason, text);
    if (!keep) {
      reclaim();
    }
  }

  // --- reclaim, adoption, exec

  /** Removes container, overlay, bundle, cgroups, netns and IP. Idempotent; the log stays. */
  private void reclaim() throws IOException {
    lifecycle.release(id, dirs, false);
    update(() -> reclaimed = true);
    persist();
    listener.event(
        EventType.NORMAL,
        "Reclaimed",
        "Removed the run's container, file system, cgroup and network; its log stays for "
            + parts.logRetention().toDays()
            + " days");
  }

  /**
   * Takes over the recorded status before the actor starts, so that the run is queryable at once.
   */
  void restore(RunRecord rec) {
    update(
        () -> {
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
      boolean keep =
          work.keepOnFailure()
              && (rec.state() == RunState.FAILED || rec.state() == RunState.TIMED_OUT);
      if (!rec.reclaimed() && !keep) {
        reclaim(); // Berth ended between the end of the run and its reclaim
      }
      return;
    }
    if (rec.state() == RunState.QUEUED) {
      attempt();
      return;
    }
    scheduleDeadline();
    long g = ++gen;
    Optional<ContainerLifecycle.Running> alive =
        lifecycle.adopt(id, dirs, rec.shimPid(), lower, cpus, () -> send(new Exited(g)));
    if (alive.isPresent()) {
      running = alive.get();
      update(
          () -> {
            state = RunState.RUNNING;
            message = "adopted after a restart of Berth";
          });
      log.info("{}: adopted running run (shim pid {})", id, running.shim().pid());
    } else if (lifecycle.hasRemains(id, dirs)) {
      gen++;
      running =
          new ContainerLifecycle.Running(
              null,
              lower,
              cpus,
              new Containers.Shim(0, CompletableFuture.completedFuture(-1), null),
              true);
      exited();
    } else if (rec.retryAt() > 0) {
      long left = Math.max(0, rec.retryAt() - parts.scheduler().millis());
      retryAt = Instant.ofEpochMilli(rec.retryAt());
      scheduleRetry(Duration.ofMillis(left));
    } else {
      update(
          () -> attempts = Math.max(0, attempts - 1)); // Berth ended while preparing this attempt
      attempt();
    }
  }

  /**
   * Runs {@code command} in a helper container on the kept root file system of an ended run, with
   * the run's environment, user, network and limits; the helper is deleted afterwards.
   */
  private ExecResult execOnKeptRoot(List<String> command, Duration timeout) throws IOException {
    RunStatus now = snapshot();
    if (!now.state().isFinal() || now.reclaimed() || !lifecycle.rootKept(dirs)) {
      throw new RuntimeFailure(
          "run "
              + id
              + " has no kept file system to exec in ("
              + now.state()
              + (now.reclaimed() ? ", reclaimed" : "")
              + ")");
    }
    return lifecycle.execOnRoot(id + ".exec-" + (++execs), dirs, command, timeout);
  }

  /**
   * Executes a command: {@code runc exec} while running, a helper container on a kept file system
   * after.
   */
  ExecResult exec(List<String> command, Duration timeout) {
    RunStatus now = snapshot();
    if (now.state() == RunState.RUNNING) {
      return lifecycle.exec(id, command, timeout);
    }
    if (!now.state().isFinal() || now.reclaimed()) {
      throw new RuntimeFailure(
          "run "
              + id
              + " is "
              + now.state()
              + (now.reclaimed() ? " and reclaimed" : "")
              + ": nothing to exec in");
    }
    CompletableFuture<ExecResult> result = new CompletableFuture<>();
    send(new Exec(command, timeout, result));
    Optional<ExecResult> done = Waits.await(result, timeout.plusSeconds(30), parts.scheduler());
    if (done.isPresent()) {
      return done.get();
    }
    if (result.isCompletedExceptionally()) {
      Throwable cause = result.exceptionNow();
      throw cause instanceof RuntimeException re
          ? re
          : new RuntimeFailure("exec in run " + id + " failed: " + cause, cause);
    }
    throw new RuntimeFailure(
        "exec in run "
            + id
            + (Thread.currentThread().isInterrupted()
                ? " was interrupted"
                : " did not finish in time"));
  }

  /**
   * Starts {@code command} with a terminal: {@code runc exec -t} while running, a helper container
   * on the kept file system after (removed when the terminal ends).
   */
  dev.berth.core.runtime.Terminal terminal(List<String> command, int columns, int rows) {
    RunStatus now = snapshot();
    if (now.state() == RunState.RUNNING) {
      return lifecycle.terminal(id, command, columns, rows);
    }
    if (!now.state().isFinal() || now.reclaimed() || !lifecycle.rootKept(dirs)) {
      throw new dev.berth.core.support.ConflictException(
          "run "
              + id
              + " is "
              + now.state()
              + (now.reclaimed() ? " and reclaimed" : "")
              + ": it is not running and has no kept file system to open a terminal in");
    }
    try {
      return lifecycle.terminalOnRoot(
          id + ".term-" + terminals.incrementAndGet(), dirs, command, columns, rows);
    } catch (IOException e) {
      throw new RuntimeFailure("terminal in run " + id + " failed: " + e.getMessage(), e);
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
      if (running != null && !running.exit().isDone()) {
        listener.event(
            EventType.WARNING, "Warning", "Failed " + what(s) + ": " + why + "; the run goes on");
      } else if (snapshot().state().isFinal()) {
        Duration delay = parts.backoff().delay(2);
        update(
            () -> message = "reclaim failed: " + why + "; retrying in " + Supervisor.human(delay));
        listener.event(
            EventType.WARNING,
            "ReclaimFailed",
            "Failed " + what(s) + ": " + why + "; retrying in " + Supervisor.human(delay));
        if (!snapshot().reclaimed() && !closed) {
          parts.scheduler().schedule(delay, () -> send(new Reclaim()));
        }
      } else {
        running = null;
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
      retry.cancel();
    }
    long g = gen;
    retry = parts.scheduler().schedule(delay, () -> send(new Retry(g)));
  }

  private Instant deadlineBase() {
    return firstAttemptAt != null ? firstAttemptAt : snapshot().startedAt();
  }

  private void scheduleDeadline() {
    Optional<Instant> due = policy.deadline(deadlineBase());
    if (deadline != null || due.isEmpty()) {
      return;
    }
    deadline =
        parts
            .scheduler()
            .schedule(
                Duration.between(parts.scheduler().instant(), due.get()),
                () -> send(new Deadline()));
  }

  private void cancelTimers() {
    if (retry != null) {
      retry.cancel();
      retry = null;
    }
    retryAt = null;
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }

  private Duration grace() {
    return work.grace() == null || work.grace().isNegative() ? DEFAULT_GRACE : work.grace();
  }

  // --- state, snapshot, persistence

  RunStatus snapshot() {
    lock.lock();
    try {
      return new RunStatus(
          id,
          state,
          attempts,
          lastExit,
          parts.nodeName(),
          parts.gateway(),
          reclaimed,
          startedAt,
          endedAt,
          message);
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
      listener.changed(after);
    }
  }

  private void persist() throws IOException {
    RunStatus s = snapshot();
    Files.createDirectories(dirs.runRecord().getParent());
    record(s).write(dirs.runRecord());
  }

  private RunRecord record(RunStatus s) {
    return new RunRecord(
        id,
        work.task(),
        work.spec(),
        policy.timeout() == null ? 0 : policy.timeout().toMillis(),
        grace().toMillis(),
        work.retries(),
        work.keepOnFailure(),
        s.state(),
        s.attempts(),
        RunRecord.Exit.of(s.lastExit()),
        s.reclaimed(),
        RunRecord.millis(s.startedAt()),
        RunRecord.millis(s.endedAt()),
        s.message(),
        RunRecord.millis(retryAt),
        running == null ? 0 : running.shim().pid(),
        lower,
        cpus);
  }

  /**
   * Writes the first record of a new run before its actor starts, so that the run survives a crash
   * at once.
   */
  void persistQueued() throws IOException {
    persist();
  }
}
