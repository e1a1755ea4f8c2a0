package dev.berth.core.task;

import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.control.Result;
import dev.berth.core.control.WorkQueue;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Drives every run from queued to a final state: starts it on its cluster's runtime, copies what
 * the runtime observes into the store, and when it ends wakes synchronous callers and hands it to
 * {@code onFinal} (callbacks). Level-triggered and restart-safe: after a Berth restart each
 * unfinished run is reconciled against what the runtime re-adopted.
 *
 * <p>A run of a task with a window or an idle condition ({@link Placement}) is held in {@link
 * RunState#WAITING}, its message saying why, and looked at again when the window opens or after
 * {@link StartGate#IDLE_RECHECK}; {@link StartGate} decides. Waiting is stored, so a restarted
 * Berth picks it up; the run's timeout counts from its start in the runtime, not from its wait.
 *
 * <p>Time comes from the {@link Scheduler}: the periodic look at active runs, the back-off after a
 * failed pass, the wait for a window, and how long {@link #awaitEnd} waits.
 */
public final class RunController implements AutoCloseable {
  static final Duration GRACE = Duration.ofSeconds(10);
  private static final Duration WHILE_ACTIVE = Duration.ofSeconds(30);

  private final TaskStore store;
  private final ClusterRegistry clusters;
  private final EventSink events;
  private final Scheduler scheduler;
  private final Consumer<Run> onFinal;
  private final WaitingRuns waiting;
  private final WorkQueue queue;
  private final Map<String, CompletableFuture<Run>> waiters = new ConcurrentHashMap<>();

  public RunController(
      TaskStore store,
      ClusterRegistry clusters,
      EventSink events,
      Scheduler scheduler,
      Consumer<Run> onFinal) {
    this(store, clusters, events, scheduler, onFinal, NodeCpu.UNMEASURED);
  }

  /**
   * @param nodeCpu how busy a cluster's nodes are, for runs that wait until they are idle
   */
  public RunController(
      TaskStore store,
      ClusterRegistry clusters,
      EventSink events,
      Scheduler scheduler,
      Consumer<Run> onFinal,
      NodeCpu nodeCpu) {
    this.waiting = new WaitingRuns(store, events, scheduler, nodeCpu);
    this.store = store;
    this.clusters = clusters;
    this.events = events;
    this.scheduler = scheduler;
    this.onFinal = onFinal;
    this.queue =
        new WorkQueue(
            "runs",
            this::reconcile,
            16,
            (id, reason) ->
                events.emit(
                    Event.warning(
                        scheduler.instant(), "", "run", id, taskOf(id), "ReconcileFailed", reason)),
            scheduler);
  }

  /** Looks at a run soon (a new run, or an observation about it). */
  public void dispatch(String runId) {
    queue.enqueue(runId);
  }

  public Result reconcile(String id) {
    Optional<Run> found = store.findRun(id);
    if (found.isEmpty()) {
      return Result.DONE;
    }
    Run run = found.get();
    if (run.state().isFinal()) {
      complete(run);
      recordAfterEnd(run);
      return Result.DONE;
    }
    Optional<ClusterRuntime> runtime = clusters.runtime(run.cluster());
    if (runtime.isEmpty()) {
      return Result.failed("cluster '" + run.cluster() + "' is not available");
    }
    Optional<RunStatus> status = runtime.get().run(id);
    if (status.isEmpty()) {
      return start(run, runtime.get());
    }
    Run merged = merge(run, status.get());
    if (!merged.equals(run)) {
      store.updateRun(merged);
    }
    if (merged.state().isFinal()) {
      finished(merged);
      return Result.DONE;
    }
    return Result.requeueAfter(WHILE_ACTIVE);
  }

  /** An ended run can still change in the runtime: reclaimed later, or deleted by the user. */
  private void recordAfterEnd(Run run) {
    clusters
        .runtime(run.cluster())
        .flatMap(r -> r.run(run.id()))
        .ifPresent(
            status -> {
              Run merged = merge(run, status);
              if (merged.reclaimed() != run.reclaimed()
                  || !java.util.Objects.equals(merged.endedAt(), run.endedAt())) {
                store.updateRun(with(merged, run.state(), merged.message(), merged.updatedAt()));
              }
            });
  }

  private Result start(Run run, ClusterRuntime runtime) {
    if (run.state() == RunState.RUNNING) {
      finish(
          run,
          RunState.FAILED,
          "lost: the runtime no longer knows this run (its container vanished while Berth was down)");
      return Result.DONE;
    }
    Optional<Task> task = store.find(run.task());
    if (task.isEmpty()) {
      finish(run, RunState.CANCELLED, "its task was deleted before it started");
      return Result.DONE;
    }
    Task t = task.get();
    Optional<Duration> wait = waiting.hold(run, t.spec().placement());
    if (wait.isPresent()) {
      return Result.requeueAfter(wait.get());
    }
    runtime.startRun(
        new RunWorkload(
            run.id(),
            t.name(),
            t.spec().forRun(),
            Duration.ofSeconds(t.timeoutSeconds()),
            GRACE,
            t.retries(),
            t.keepOnFailure()));
    if (run.state() == RunState.QUEUED || run.state() == RunState.WAITING) {
      String message = run.state() == RunState.WAITING ? null : run.message();
      store.updateRun(with(run, RunState.STARTING, message, scheduler.instant()));
    }
    return Result.requeueAfter(WHILE_ACTIVE);
  }

  /** Stops a run; a run the runtime has not started yet ends cancelled at once. */
  public void cancel(String id, String why) {
    Run run = store.findRun(id).orElse(null);
    if (run == null || run.state().isFinal()) {
      return;
    }
    ClusterRuntime runtime = clusters.runtime(run.cluster()).orElse(null);
    if (runtime == null || runtime.run(id).isEmpty()) {
      finish(run, RunState.CANCELLED, why);
      return;
    }
    store.updateRun(with(run, run.state(), why, scheduler.instant()));
    runtime.stopRun(id, GRACE);
    dispatch(id);
  }

  /** Stops (if needed) and reclaims a run, then forgets it. */
  public void remove(Run run) {
    clusters
        .runtime(run.cluster())
        .ifPresent(
            r -> {
              if (!run.state().isFinal()) {
                r.stopRun(run.id(), GRACE);
              }
              r.reclaimRun(run.id());
            });
    store.deleteRun(run.id());
    CompletableFuture<Run> w = waiters.remove(run.id());
    if (w != null) {
      w.complete(run);
    }
  }

  /**
   * Waits until the run ends or {@code max} of the scheduler's time passes; returns the run as it
   * then is.
   */
  public Run awaitEnd(String id, Duration max) throws InterruptedException {
    CompletableFuture<Run> done = waiters.computeIfAbsent(id, k -> new CompletableFuture<>());
    Run now =
        store
            .findRun(id)
            .orElseThrow(() -> new dev.berth.core.support.NotFoundException("run", id));
    if (now.state().isFinal()) {
      return now;
    }
    CompletableFuture<Run> mine = new CompletableFuture<>();
    done.whenComplete((run, error) -> mine.complete(run));
    Scheduler.Cancellable timeout = scheduler.schedule(max, () -> mine.complete(null));
    try {
      Run ended = mine.get();
      return ended != null ? ended : store.findRun(id).orElse(now);
    } catch (ExecutionException e) {
      return store.findRun(id).orElse(now);
    } finally {
      timeout.cancel();
    }
  }

  /** Records the outcome of a callback delivery attempt on the run. */
  public void recordCallback(String id, String status, int attempts) {
    store
        .findRun(id)
        .ifPresent(
            r ->
                store.updateRun(
                    new Run(
                        r.id(),
                        r.task(),
                        r.number(),
                        r.cluster(),
                        r.state(),
                        r.attempts(),
                        r.exitCode(),
                        r.reason(),
                        r.message(),
                        r.node(),
                        r.hostIp(),
                        r.reclaimed(),
                        r.scheduledAt(),
                        r.createdAt(),
                        scheduler.instant(),
                        r.startedAt(),
                        r.endedAt(),
                        status,
                        attempts)));
  }

  private void finish(Run run, RunState state, String message) {
    Instant now = scheduler.instant();
    Run ended =
        new Run(
            run.id(),
            run.task(),
            run.number(),
            run.cluster(),
            state,
            run.attempts(),
            run.exitCode(),
            run.reason(),
            message,
            run.node(),
            run.hostIp(),
            true,
            run.scheduledAt(),
            run.createdAt(),
            now,
            run.startedAt(),
            now,
            run.callbackStatus(),
            run.callbackAttempts());
    store.updateRun(ended);
    events.emit(
        state == RunState.CANCELLED
            ? Event.normal(now, run.cluster(), "run", run.id(), run.task(), "Cancelled", message)
            : Event.warning(now, run.cluster(), "run", run.id(), run.task(), "Failed", message));
    finished(ended);
  }

  private void finished(Run run) {
    complete(run);
    try {
      onFinal.accept(run);
    } catch (RuntimeException e) {
      events.emit(
          Event.warning(
              scheduler.instant(),
              run.cluster(),
              "run",
              run.id(),
              run.task(),
              "CallbackFailed",
              String.valueOf(e.getMessage())));
    }
  }

  private void complete(Run run) {
    CompletableFuture<Run> w = waiters.remove(run.id());
    if (w != null) {
      w.complete(run);
    }
  }

  private Run with(Run r, RunState state, String message, Instant now) {
    return r.with(state, message, now);
  }

  private Run merge(Run r, RunStatus s) {
    RunState state = s.state() == RunState.QUEUED ? r.state() : s.state();
    Integer exit = s.lastExit() == null ? r.exitCode() : Integer.valueOf(s.lastExit().code());
    String reason = s.lastExit() == null ? r.reason() : s.lastExit().reason().toString();
    String message = s.message() != null && !s.message().isBlank() ? s.message() : r.message();
    Run m =
        new Run(
            r.id(),
            r.task(),
            r.number(),
            r.cluster(),
            state,
            Math.max(r.attempts(), s.attempts()),
            exit,
            reason,
            message,
            s.node() == null ? r.node() : s.node(),
            s.hostIp() == null ? r.hostIp() : s.hostIp(),
            s.reclaimed(),
            r.scheduledAt(),
            r.createdAt(),
            r.updatedAt(),
            s.startedAt() == null ? r.startedAt() : s.startedAt(),
            s.endedAt() == null ? r.endedAt() : s.endedAt(),
            r.callbackStatus(),
            r.callbackAttempts());
    if (m.equals(r)) {
      return r;
    }
    return new Run(
        m.id(),
        m.task(),
        m.number(),
        m.cluster(),
        m.state(),
        m.attempts(),
        m.exitCode(),
        m.reason(),
        m.message(),
        m.node(),
        m.hostIp(),
        m.reclaimed(),
        m.scheduledAt(),
        m.createdAt(),
        scheduler.instant(),
        m.startedAt(),
        m.endedAt(),
        m.callbackStatus(),
        m.callbackAttempts());
  }

  private static String taskOf(String runId) {
    int dash = runId.lastIndexOf('-');
    return dash > 0 ? runId.substring(0, dash) : runId;
  }

  @Override
  public void close() {
    queue.close();
  }
}
