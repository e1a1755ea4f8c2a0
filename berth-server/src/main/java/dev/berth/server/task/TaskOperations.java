package dev.berth.server.task;

import static dev.berth.server.access.Permission.RUN_CANCEL;
import static dev.berth.server.access.Permission.RUN_DELETE;
import static dev.berth.server.access.Permission.RUN_EXEC;
import static dev.berth.server.access.Permission.RUN_READ;
import static dev.berth.server.access.Permission.TASK_CREATE;
import static dev.berth.server.access.Permission.TASK_DELETE;
import static dev.berth.server.access.Permission.TASK_READ;
import static dev.berth.server.access.Permission.TASK_RUN;

import dev.berth.core.node.PoolDirectory;
import dev.berth.core.outbound.OutboundPolicy;
import dev.berth.core.runtime.ExecResult;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import dev.berth.core.support.TeamImagePolicy;
import dev.berth.core.support.ValidationException;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunQuery;
import dev.berth.core.task.Task;
import dev.berth.core.task.TaskRequest;
import dev.berth.core.task.TaskService;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.access.Permission;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.support.exec.ExecLimiter;
import dev.berth.server.support.exec.ExecRules;
import dev.berth.server.team.TeamService;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Every task and run operation a person asks for, from the REST API and the portal alike: checks
 * the caller's permission in the task's team (a run belongs to its task's team, also after the task
 * is deleted), calls {@link TaskService}, and writes the audit log.
 */
@Service
public class TaskOperations {
  private final TaskService tasks;
  private final JdbcTaskStore store;
  private final Access access;
  private final AuditLog audit;
  private final TeamService teams;
  private final OutboundPolicy outbound;
  private final PoolDirectory pools;
  private final TeamImagePolicy images;
  private final ExecLimiter execs;

  public TaskOperations(
      TaskService tasks,
      JdbcTaskStore store,
      Access access,
      AuditLog audit,
      TeamService teams,
      OutboundPolicy outbound,
      PoolDirectory pools,
      TeamImagePolicy images,
      ExecLimiter execs) {
    this.images = images;
    this.execs = execs;
    this.outbound = outbound;
    this.pools = pools;
    this.tasks = tasks;
    this.store = store;
    this.access = access;
    this.audit = audit;
    this.teams = teams;
  }

  /**
   * What is wrong with {@code r}, as {@link #create} would say first; changes nothing. The task's
   * team may not run an image of another team's repository.
   */
  public List<ValidationException.FieldError> problems(TaskRequest r) {
    List<ValidationException.FieldError> problems = new java.util.ArrayList<>(tasks.problems(r));
    if (r.spec() != null) {
      Errors errors = new Errors();
      pools.check(
          r.cluster(),
          r.spec().scheduling().pool(),
          "scheduling.pool",
          r.spec().scheduling().nodeLabels(),
          "scheduling.nodeLabels",
          errors);
      images.check(r.spec().image(), null, TeamService.teamOrDefault(r.team()), "image", errors);
      problems.addAll(errors.list());
    }
    if (r.callbackUrl() != null && !r.callbackUrl().isBlank()) {
      outbound
          .refuseAsWritten(r.callbackUrl())
          .ifPresent(
              why ->
                  problems.add(
                      new ValidationException.FieldError(
                          "callbackUrl", "is refused: " + r.callbackUrl() + " " + why)));
    }
    return problems;
  }

  public TaskService.Created create(TaskRequest r) {
    String team = TeamService.teamOrDefault(r.team());
    return audit.change(
        "task.create",
        "task",
        r.name(),
        c -> {
          c.team(team);
          Caller caller = access.require(TASK_CREATE, team);
          teams.requireExists(team);
          TaskRequest inTeam =
              new TaskRequest(
                  r.name(),
                  team,
                  r.cluster(),
                  r.spec(),
                  r.trigger(),
                  r.mode(),
                  r.callbackUrl(),
                  r.callbackSecret(),
                  r.timeoutSeconds(),
                  r.retries(),
                  r.keepOnFailure(),
                  r.concurrency(),
                  r.waitSeconds());
          List<ValidationException.FieldError> problems = problems(inTeam);
          if (!problems.isEmpty()) {
            throw new ValidationException(problems);
          }
          TaskService.Created created = tasks.create(inTeam, caller.name());
          c.after(created.task().spec())
              .detail(created.run().map(run -> "started run " + run.id()).orElse(null));
          return created;
        });
  }

  public Run fire(String name) {
    Task task = get(name);
    return audit.change(
        "task.run",
        "task",
        name,
        c -> {
          c.team(task.team());
          Caller caller = access.requireOn(TASK_READ, TASK_RUN, "task", name, task.team());
          Run run = tasks.fire(name, caller.name());
          c.detail("run " + run.id());
          return run;
        });
  }

  public Task get(String name) {
    Task task = tasks.get(name);
    access.requireOn(TASK_READ, TASK_READ, "task", name, task.team());
    return task;
  }

  public Page<Task> list(String query, int page, int size) {
    return tasks.list(query, access.readable(TASK_READ), page, size);
  }

  /**
   * When the task fires next (cron and at triggers), without a permission check: for tasks already
   * shown.
   */
  public java.util.Optional<java.time.Instant> nextFire(Task task) {
    return tasks.nextFire(task);
  }

  /** Deletes the task with its kept runs and their containers; answers the ids of those runs. */
  public List<String> delete(String name) {
    Task task = get(name);
    return audit.change(
        "task.delete",
        "task",
        name,
        c -> {
          c.team(task.team()).before(task.spec());
          Caller caller = access.requireOn(TASK_READ, TASK_DELETE, "task", name, task.team());
          List<String> runs = tasks.delete(name, caller.name());
          if (!runs.isEmpty()) {
            c.detail("with its kept run(s) " + String.join(", ", runs));
          }
          return runs;
        });
  }

  /** Runs of the caller's teams; naming a task of another team answers as if it did not exist. */
  public Page<Run> runs(RunQuery q) {
    if (q.task() != null && !q.task().isBlank()) {
      store
          .find(q.task())
          .ifPresent(t -> access.requireOn(RUN_READ, RUN_READ, "task", q.task(), t.team()));
    }
    return tasks.runs(q.within(access.readable(RUN_READ)));
  }

  public Run run(String id) {
    return require(id, RUN_READ).run();
  }

  public Run cancel(String id) {
    Guarded g = require(id, RUN_READ);
    return audit.change(
        "run.cancel",
        "run",
        id,
        c -> {
          c.team(g.team());
          Caller caller = access.requireOn(RUN_READ, RUN_CANCEL, "run", id, g.team());
          return tasks.cancel(id, caller.name());
        });
  }

  public void deleteRun(String id) {
    Guarded g = require(id, RUN_READ);
    audit.change(
        "run.delete",
        "run",
        id,
        c -> {
          c.team(g.team());
          Caller caller = access.requireOn(RUN_READ, RUN_DELETE, "run", id, g.team());
          tasks.deleteRun(id, caller.name());
          return null;
        });
  }

  /**
   * Runs {@code command} in run {@code id}, stopped after {@code timeoutSeconds} (default 30, at
   * most 300), its output capped as an instance exec's; counted with instance execs against {@code
   * berth.exec.*}.
   */
  public ExecOutcome exec(String id, List<String> command, Integer timeoutSeconds) {
    Guarded g = require(id, RUN_READ);
    ExecRules.Request request = ExecRules.check(command, timeoutSeconds);
    return audit.change(
        "run.exec",
        "run",
        id,
        c -> {
          c.team(g.team()).detail(String.join(" ", request.command()));
          Caller caller = access.requireOn(RUN_READ, RUN_EXEC, "run", id, g.team());
          try (ExecLimiter.Permit permit = execs.acquire(caller.name())) {
            ExecResult r = tasks.exec(id, request.command(), request.timeout(), caller.name());
            ExecRules.Output out = ExecRules.cap(r.output(), ExecRules.OUTPUT_CAP);
            return new ExecOutcome(r.exitCode(), out.text(), r.timedOut(), out.truncated());
          }
        });
  }

  /** How a command in a run ended: its exit code and output, whether it timed out or was cut. */
  public record ExecOutcome(int exitCode, String output, boolean timedOut, boolean truncated) {}

  public LogStream logs(String id, LogQuery query) {
    require(id, RUN_READ);
    return tasks.logs(id, query);
  }

  /** Waits for a run the caller just started (no further check). */
  public Run awaitEnd(String runId, Duration max) throws InterruptedException {
    return tasks.awaitEnd(runId, max);
  }

  /** For each of {@code teams}, the ids of the permissions the caller holds there (for lists). */
  public java.util.Map<String, java.util.Set<String>> permissionsIn(
      java.util.Collection<String> teams) {
    return access.permissionsIn(teams);
  }

  /** The team of each run (kept with the run), for showing only the actions its team allows. */
  public java.util.Map<String, String> teamsOf(List<Run> shown) {
    java.util.Map<String, String> teams = new java.util.HashMap<>();
    shown.forEach(r -> store.runTeam(r.id()).ifPresent(t -> teams.put(r.id(), t)));
    return teams;
  }

  /**
   * The machine pool each shown run is placed on, by run id: its task's {@code scheduling.pool} (a
   * task's spec does not change after it is created); runs placed anywhere are absent.
   */
  public java.util.Map<String, String> poolsOf(List<Run> shown) {
    return poolsOf(shown, List.of());
  }

  /**
   * The same, reading the tasks the page already holds ({@code known}) instead of the store; only
   * the tasks of other runs are read.
   */
  public java.util.Map<String, String> poolsOf(List<Run> shown, List<Task> known) {
    java.util.Map<String, java.util.Optional<String>> byTask = new java.util.HashMap<>();
    known.forEach(
        t -> byTask.put(t.name(), java.util.Optional.ofNullable(t.spec().scheduling().pool())));
    java.util.Map<String, String> pools = new java.util.HashMap<>();
    for (Run r : shown) {
      byTask
          .computeIfAbsent(
              r.task(), t -> store.find(t).map(task -> task.spec().scheduling().pool()))
          .ifPresent(pool -> pools.put(r.id(), pool));
    }
    return pools;
  }

  /** The ids of the permissions the caller holds on a run (for its page's actions). */
  public java.util.Set<String> permissionsOn(Run run) {
    return store
        .runTeam(run.id())
        .map(t -> access.permissionsIn(List.of(t)).get(t))
        .orElse(java.util.Set.of());
  }

  private Guarded require(String id, Permission permission) {
    Run run = tasks.run(id);
    String team = store.runTeam(id).orElseThrow(() -> new NotFoundException("run", id));
    access.requireOn(RUN_READ, permission, "run", id, team);
    return new Guarded(run, team);
  }

  private record Guarded(Run run, String team) {}
}
