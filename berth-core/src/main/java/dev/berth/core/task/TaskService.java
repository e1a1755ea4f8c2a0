package dev.berth.core.task;

import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import dev.berth.core.support.Requests;
import dev.berth.core.support.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every change to tasks and runs goes through here (REST API, portal, CLI, scheduler): validate
 * first, store, record an event, and hand runs to the {@link RunController}.
 */
public final class TaskService {
  static final Set<RunState> ACTIVE =
      EnumSet.of(RunState.QUEUED, RunState.WAITING, RunState.STARTING, RunState.RUNNING);
  static final Set<RunState> ENDED = EnumSet.complementOf(EnumSet.copyOf(ACTIVE));
  static final int DEFAULT_TIMEOUT = 3600;

  /** A scheduled run this much behind its fire time is reported as late. */
  static final Duration LATE = Duration.ofSeconds(5);

  private final TaskStore store;
  private final ClusterRegistry clusters;
  private final EventSink events;
  private final InstantSource clock;
  private final TaskScheduling scheduling;
  private final RunController runs;
  private final Supplier<String> secrets;
  private final java.util.function.Predicate<String> takenByApp;

  /**
   * @param takenByApp whether an app has the name: apps and tasks share one name space, because run
   *     ids ({@code <task>-<n>}) and instance ids ({@code <app>-<n>}) must never collide
   */
  public TaskService(
      TaskStore store,
      ClusterRegistry clusters,
      EventSink events,
      InstantSource clock,
      TaskScheduling scheduling,
      RunController runs,
      Supplier<String> secrets,
      java.util.function.Predicate<String> takenByApp) {
    this.takenByApp = takenByApp;
    this.store = store;
    this.clusters = clusters;
    this.events = events;
    this.clock = clock;
    this.scheduling = scheduling;
    this.runs = runs;
    this.secrets = secrets;
  }

  /**
   * A created task, its first run when the trigger is {@code now}, and the callback secret (shown
   * once).
   */
  public record Created(Task task, Optional<Run> run, String callbackSecret) {
    @Override
    public String toString() {
      return "Created[task="
          + task
          + ", run="
          + run
          + ", callbackSecret="
          + (callbackSecret == null ? null : "***")
          + "]";
    }
  }

  /**
   * What is wrong with {@code r}, checked as {@link #create} checks it before it looks at existing
   * names or the image; empty when nothing is. Changes nothing.
   */
  public List<ValidationException.FieldError> problems(TaskRequest r) {
    return check(r, clock.instant()).list();
  }

  private Errors check(TaskRequest r, Instant now) {
    Errors errors = new Errors();
    TaskValidator.validate(r, now, scheduling, errors);
    String cluster = r.cluster() == null || r.cluster().isBlank() ? "local" : r.cluster();
    if (clusters.runtime(cluster).isEmpty()) {
      errors.add("cluster", "unknown cluster '" + cluster + "'");
    }
    return errors;
  }

  public Created create(TaskRequest r, String actor) {
    Instant now = clock.instant();
    check(r, now).throwIfAny();
    String cluster = r.cluster() == null || r.cluster().isBlank() ? "local" : r.cluster();
    if (store.find(r.name()).isPresent()) {
      throw new ConflictException(
          "task '" + r.name() + "' already exists; delete it first or choose another name");
    }
    if (takenByApp.test(r.name())) {
      throw new ConflictException(
          "an app is named '"
              + r.name()
              + "'; apps and tasks share one name space, choose another name");
    }
    Requests.checkImage(clusters.require(cluster), r.spec().image());
    Trigger trigger = r.trigger() == null ? Trigger.now() : r.trigger();
    boolean callback = r.callbackUrl() != null && !r.callbackUrl().isBlank();
    String secret =
        !callback ? null : r.callbackSecret() != null ? r.callbackSecret() : secrets.get();
    Task task =
        new Task(
            r.name(),
            r.team() == null || r.team().isBlank() ? "default" : r.team(),
            actor,
            cluster,
            r.spec(),
            trigger,
            r.mode() == null ? RunMode.ASYNC : r.mode(),
            callback ? r.callbackUrl() : null,
            secret,
            r.timeoutSeconds() == null ? DEFAULT_TIMEOUT : r.timeoutSeconds(),
            r.retries() == null ? 0 : r.retries(),
            Boolean.TRUE.equals(r.keepOnFailure()),
            r.concurrency() == null ? ConcurrencyPolicy.ALLOW : r.concurrency(),
            1,
            now,
            now);
    Task created = store.create(task);
    emit(created, "Created", "created by " + actor + " (" + describe(trigger) + ")");
    Optional<Run> run = Optional.empty();
    switch (trigger.type()) {
      case NOW -> run = Optional.of(start(created, null));
      case AT -> scheduling.schedule(created.name(), trigger.at());
      case CRON ->
          scheduling.nextFire(trigger, now).ifPresent(t -> scheduling.schedule(created.name(), t));
    }
    return new Created(created, run, callback && r.callbackSecret() == null ? secret : null);
  }

  /** Runs a task now, whatever its trigger. */
  public Run fire(String name, String actor) {
    Task task = get(name);
    Run run = start(task, null);
    emit(task, "Fired", "run " + run.id() + " started by " + actor);
    return run;
  }

  /**
   * A stored fire time came (called by the scheduler, also late after downtime). Applies the
   * starting deadline and the concurrency policy, starts at most one run for this fire time, and
   * returns the next fire time to store, if any.
   */
  public Optional<Instant> fireScheduled(String name, Instant fireTime) {
    Optional<Task> found = store.find(name);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Task task = found.get();
    Instant now = clock.instant();
    Optional<Instant> next =
        task.trigger().type() == TriggerType.CRON
            ? scheduling.nextFire(task.trigger(), now)
            : Optional.empty();
    Duration late = Duration.between(fireTime, now);
    Integer deadline = task.trigger().startingDeadlineSeconds();
    int missed = missedFires(task, fireTime, now);
    if (deadline != null && late.toSeconds() > deadline) {
      warn(
          task,
          "MissedSchedule",
          "fire time "
              + fireTime
              + " missed by "
              + late.toSeconds()
              + "s (deadline "
              + deadline
              + "s)"
              + (missed > 0 ? " with " + missed + " more after it" : "")
              + "; skipped, next "
              + next.map(Instant::toString).orElse("none"));
      return next;
    }
    List<Run> active = store.runsIn(name, ACTIVE);
    if (!active.isEmpty()) {
      switch (task.concurrency()) {
        case FORBID -> {
          warn(
              task,
              "SkippedConcurrent",
              "fire time "
                  + fireTime
                  + " skipped: run "
                  + active.getFirst().id()
                  + " is still "
                  + active.getFirst().state()
                  + " (concurrency forbid)");
          return next;
        }
        case REPLACE ->
            active.forEach(r -> runs.cancel(r.id(), "replaced by the run for " + fireTime));
        case ALLOW -> {}
      }
    }
    Optional<Run> run = store.createRun(name, task.cluster(), fireTime, now);
    if (run.isEmpty()) {
      return next; // this fire time already has its run (a repeated delivery after a crash)
    }
    if (late.compareTo(LATE) > 0) {
      warn(
          task,
          "LateRun",
          "run "
              + run.get().id()
              + " for "
              + fireTime
              + " started "
              + late.toSeconds()
              + "s late"
              + (missed > 0
                  ? "; " + missed + " later fire time(s) missed meanwhile were not run"
                  : ""));
    }
    runs.dispatch(run.get().id());
    return next;
  }

  public Run awaitEnd(String runId, Duration max) throws InterruptedException {
    return runs.awaitEnd(runId, max);
  }

  public Task get(String name) {
    return store.find(name).orElseThrow(() -> new NotFoundException("task", name));
  }

  public Page<Task> list(String query, int page, int size) {
    return list(query, null, page, size);
  }

  /**
   * Like {@link #list(String, int, int)}, limited to tasks of {@code teams} ({@code null}: every
   * team).
   */
  public Page<Task> list(String query, java.util.Set<String> teams, int page, int size) {
    Requests.checkPaging(page, size);
    return store.list(query == null ? "" : query.strip(), teams, page, size);
  }

  /** Deletes a task and its schedule; active runs are cancelled; run history stays until swept. */
  /**
   * Deletes the task and its schedule: its active runs are cancelled, and its ended runs that are
   * still kept (a failed run with {@code keepOnFailure}) are deleted with their containers, so
   * nothing of the task is left running or holding disk. Ended runs already reclaimed stay in the
   * history until swept.
   *
   * @return the ids of the kept runs deleted with it
   */
  public List<String> delete(String name, String actor) {
    Task task = get(name);
    scheduling.unschedule(name);
    store.runsIn(name, ACTIVE).forEach(r -> runs.cancel(r.id(), "task deleted by " + actor));
    List<Run> kept = store.runsIn(name, ENDED).stream().filter(r -> !r.reclaimed()).toList();
    kept.forEach(runs::remove);
    store.delete(name);
    List<String> ids = kept.stream().map(Run::id).toList();
    emit(
        task,
        "Deleted",
        "deleted by "
            + actor
            + (ids.isEmpty() ? "" : " with its kept run(s) " + String.join(", ", ids)));
    return ids;
  }

  /**
   * When the task fires next: a cron trigger's next time in its time zone, an {@code at} trigger's
   * time while it is still ahead; empty for a {@code now} trigger and an {@code at} that has
   * passed.
   */
  public Optional<Instant> nextFire(Task task) {
    Trigger t = task.trigger();
    Instant now = clock.instant();
    return switch (t.type()) {
      case CRON -> scheduling.nextFire(t, now);
      case AT -> t.at() != null && t.at().isAfter(now) ? Optional.of(t.at()) : Optional.empty();
      case NOW -> Optional.empty();
    };
  }

  public Page<Run> runs(RunQuery q) {
    Requests.checkPaging(q.page(), q.size());
    if (q.task() != null
        && !q.task().isBlank()
        && store.find(q.task()).isEmpty()
        && store.runs(new RunQuery(q.task(), null, null, null, 0, 1)).items().isEmpty()) {
      throw new NotFoundException("task", q.task());
    }
    return store.runs(q);
  }

  public Run run(String id) {
    return store.findRun(id).orElseThrow(() -> new NotFoundException("run", id));
  }

  public Run cancel(String id, String actor) {
    Run run = run(id);
    if (run.state().isFinal()) {
      throw new ConflictException(
          "run " + id + " already ended (" + run.state() + "); nothing to cancel");
    }
    runs.cancel(id, "cancelled by " + actor);
    return run(id);
  }

  /**
   * Deletes a run: stops it if needed, reclaims its container and filesystem, forgets the record.
   */
  public void deleteRun(String id, String actor) {
    Run run = run(id);
    runs.remove(run);
    events.emit(
        Event.normal(
            clock.instant(),
            run.cluster(),
            "run",
            id,
            run.task(),
            "Deleted",
            "deleted by " + actor));
  }

  /**
   * Runs a command in a run: inside it while it runs, or on the kept filesystem of a failed run
   * ({@code keepOnFailure}) — for debugging; the command is stopped after {@code timeout}.
   */
  public dev.berth.core.runtime.ExecResult exec(
      String id, java.util.List<String> command, Duration timeout, String actor) {
    Run run = run(id);
    Errors errors = new Errors();
    errors.check(
        command != null && !command.isEmpty(),
        "command",
        "is required, e.g. [\"cat\", \"/tmp/report.log\"]");
    if (command != null) {
      dev.berth.core.app.AppValidator.checkCommand(command, "command", errors);
    }
    errors.throwIfAny();
    if (run.reclaimed()) {
      throw new ConflictException(
          "run "
              + id
              + " is reclaimed: its filesystem is gone (only failed runs with keepOnFailure are kept)");
    }
    events.emit(
        Event.normal(
            clock.instant(),
            run.cluster(),
            "run",
            id,
            run.task(),
            "Exec",
            actor + " ran " + String.join(" ", command)));
    return clusters.require(run.cluster()).exec(id, command, timeout);
  }

  public LogStream logs(String id, LogQuery query) {
    Run run = run(id);
    return clusters.require(run.cluster()).logs(id, query);
  }

  private Run start(Task task, Instant scheduledAt) {
    Run run =
        store.createRun(task.name(), task.cluster(), scheduledAt, clock.instant()).orElseThrow();
    runs.dispatch(run.id());
    return run;
  }

  private int missedFires(Task task, Instant fireTime, Instant now) {
    if (task.trigger().type() != TriggerType.CRON) {
      return 0;
    }
    int n = 0;
    Optional<Instant> t = scheduling.nextFire(task.trigger(), fireTime);
    while (t.isPresent() && t.get().isBefore(now) && n < 1000) {
      n++;
      t = scheduling.nextFire(task.trigger(), t.get());
    }
    return n;
  }

  private static String describe(Trigger t) {
    return switch (t.type()) {
      case NOW -> "runs now";
      case AT -> "runs at " + t.at();
      case CRON ->
          "cron '"
              + t.cron()
              + "' in "
              + (t.timezone() == null || t.timezone().isBlank() ? "UTC" : t.timezone());
    };
  }

  private void emit(Task task, String reason, String message) {
    events.emit(
        Event.normal(
            clock.instant(), task.cluster(), "task", task.name(), task.name(), reason, message));
  }

  private void warn(Task task, String reason, String message) {
    events.emit(
        Event.warning(
            clock.instant(), task.cluster(), "task", task.name(), task.name(), reason, message));
  }
}
