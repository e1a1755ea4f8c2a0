package dev.berth.server.terminal;

import static dev.berth.server.access.Permission.APP_READ;
import static dev.berth.server.access.Permission.INSTANCE_EXEC;
import static dev.berth.server.access.Permission.RUN_READ;

import dev.berth.core.app.App;
import dev.berth.core.event.Event;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunState;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.app.AppOperations;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.event.EventService;
import dev.berth.server.task.TaskOperations;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Who may open a terminal into what: the checks made before a terminal socket is accepted, each
 * refusal with its reason (404 for what the caller cannot see, 403 without {@code instance.exec} in
 * the object's team, 409 for an instance that is not running or a run with nothing left to open a
 * terminal in). A granted terminal is audited ({@code instance.exec}, with its session id) and
 * announced as an event, and stored as open until its end is recorded by {@link #ended} (or, after
 * a stop of Berth cut it, by {@link #cutByStop}).
 */
public class TerminalOperations {
  private final AppOperations apps;
  private final TaskOperations tasks;
  private final Access access;
  private final AuditLog audit;
  private final EventService events;
  private final Clock clock;
  private final JdbcOpenTerminals open;

  public TerminalOperations(
      AppOperations apps,
      TaskOperations tasks,
      Access access,
      AuditLog audit,
      EventService events,
      Clock clock,
      JdbcOpenTerminals open) {
    this.open = open;
    this.apps = apps;
    this.tasks = tasks;
    this.access = access;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
  }

  /**
   * What a terminal into instance {@code instanceId} of {@code appName} opens into, after the
   * checks; changes and records nothing (the portal asks before it shows the terminal).
   *
   * @throws ForbiddenException without {@code instance.exec} in the app's team
   * @throws ConflictException when the instance is not running
   */
  public TerminalTarget checkInstance(String appName, String instanceId) {
    App app = apps.get(appName);
    access.requireOn(APP_READ, INSTANCE_EXEC, "app", appName, app.team());
    Instance instance =
        apps.instances(appName).stream()
            .filter(i -> i.id().equals(instanceId))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("instance", instanceId));
    if (instance.state() != InstanceState.RUNNING) {
      throw new ConflictException(
          "instance "
              + instanceId
              + " is not running ("
              + instance.state()
              + "): a terminal opens only into a running instance; start it or pick another");
    }
    return new TerminalTarget(
        TerminalTarget.INSTANCE, instanceId, appName, app.team(), app.cluster());
  }

  /**
   * What a terminal into run {@code runId} opens into: the run while it runs, or its kept
   * filesystem after; changes and records nothing.
   */
  public TerminalTarget checkRun(String runId) {
    Run run = tasks.run(runId);
    String team = tasks.teamsOf(List.of(run)).get(runId);
    if (team == null) {
      throw new NotFoundException("run", runId);
    }
    access.requireOn(RUN_READ, INSTANCE_EXEC, "run", runId, team);
    boolean kept = run.state().isFinal() && !run.reclaimed();
    if (run.state() != RunState.RUNNING && !kept) {
      throw new ConflictException(
          "run "
              + runId
              + " is "
              + run.state().name().toLowerCase(java.util.Locale.ROOT)
              + (run.reclaimed() ? " and its filesystem is reclaimed" : "")
              + ": a terminal opens into a running run or a failed one kept with keepOnFailure");
    }
    return new TerminalTarget(TerminalTarget.RUN, runId, run.task(), team, run.cluster());
  }

  /**
   * The team of app {@code appName}, for the audit log of a refusal.
   *
   * @throws NotFoundException when the caller cannot see the app
   */
  public String teamOf(String appName) {
    return apps.get(appName).team();
  }

  /**
   * The name of the signed-in caller.
   *
   * @throws org.springframework.security.core.AuthenticationException when nobody is signed in
   */
  public String callerName() {
    return access.caller().name();
  }

  /** Grants a terminal into instance {@code instanceId} of {@code appName}. */
  public TerminalSession grantInstance(String appName, String instanceId, int columns, int rows) {
    App app = apps.get(appName);
    return grant(
        TerminalTarget.INSTANCE,
        instanceId,
        app.team(),
        columns,
        rows,
        () -> checkInstance(appName, instanceId));
  }

  /** Grants a terminal into run {@code runId}: while it runs, or on its kept filesystem after. */
  public TerminalSession grantRun(String runId, int columns, int rows) {
    String team = tasks.teamsOf(List.of(tasks.run(runId))).get(runId);
    return grant(TerminalTarget.RUN, runId, team, columns, rows, () -> checkRun(runId));
  }

  private TerminalSession grant(
      String kind,
      String name,
      String team,
      int columns,
      int rows,
      java.util.function.Supplier<TerminalTarget> check) {
    dev.berth.core.runtime.Terminal.checkSize(columns, rows);
    String id = UUID.randomUUID().toString().substring(0, 8);
    return audit.change(
        INSTANCE_EXEC.id(),
        kind,
        name,
        c -> {
          c.team(team);
          TerminalTarget target = check.get();
          Caller caller = access.caller();
          c.detail("terminal session " + id + " opened");
          TerminalSession session =
              new TerminalSession(
                  id, target, caller.name(), caller.via(), clock.instant(), columns, rows);
          open.opened(session);
          events.emit(
              Event.normal(
                  clock.instant(),
                  target.cluster(),
                  target.kind(),
                  target.name(),
                  target.owner(),
                  "TerminalOpened",
                  caller.name() + " opened terminal session " + id));
          return session;
        });
  }

  /** Records a session's end: how long it lasted and why it closed. */
  public void ended(TerminalSession s, java.time.Duration lasted, String reason) {
    open.closed(s.id());
    record(s, TerminalRules.human(lasted), reason);
  }

  /**
   * Records the end of a session that a stop of its Berth cut, found when a Berth starts: how long
   * it lasted up to that Berth's last sign of life, or that this is unknown. Only the Berth that
   * removes the stored session records it, so two Berths starting at once record it once.
   */
  public void cutByStop(TerminalSession s, java.util.Optional<java.time.Duration> lasted) {
    if (open.closed(s.id())) {
      record(
          s,
          lasted.map(TerminalRules::human).orElse("an unknown time"),
          TerminalRules.BERTH_STOPPED);
    }
  }

  private void record(TerminalSession s, String lasted, String reason) {
    TerminalTarget t = s.target();
    String detail = "terminal session " + s.id() + " closed after " + lasted + ": " + reason;
    audit.recordBy(
        s.actor(),
        s.via(),
        INSTANCE_EXEC.id(),
        t.kind(),
        t.name(),
        t.team(),
        "ok",
        detail,
        null,
        null);
    events.emit(
        Event.normal(
            clock.instant(),
            t.cluster(),
            t.kind(),
            t.name(),
            t.owner(),
            "TerminalClosed",
            s.actor() + "'s " + detail));
  }
}
