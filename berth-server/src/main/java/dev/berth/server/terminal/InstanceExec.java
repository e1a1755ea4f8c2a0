package dev.berth.server.terminal;

import static dev.berth.server.access.Permission.INSTANCE_EXEC;

import dev.berth.core.event.Event;
import dev.berth.core.runtime.ExecResult;
import dev.berth.server.access.Access;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.cluster.Clusters;
import dev.berth.server.event.EventService;
import dev.berth.server.portal.CommandLine;
import dev.berth.server.support.exec.ExecLimiter;
import dev.berth.server.support.exec.ExecRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command run in a running instance without a terminal, for scripts and the CLI: the checks of a
 * terminal ({@code instance.exec} in the app's team, the instance running), the runtime's exec with
 * its timeout, the output capped at {@link ExecRules#OUTPUT_CAP}; audited as {@code instance.exec}
 * with the command, its exit code and how long it took, and announced as the event {@code Exec}. At
 * most {@code berth.exec.max-per-user} per user and {@code berth.exec.max-concurrent} in all run at
 * once (execs into runs count too); one more is refused with 429.
 */
public class InstanceExec {
  /** How the command ended: its exit code and output, whether it timed out or was cut. */
  public record Result(int exitCode, String output, boolean timedOut, boolean truncated) {}

  /** The collaborators. */
  public record Parts(
      TerminalOperations terminals,
      Clusters clusters,
      Access access,
      AuditLog audit,
      EventService events,
      ExecLimiter limiter,
      Clock clock) {}

  private final Parts p;

  public InstanceExec(Parts parts) {
    this.p = parts;
  }

  /**
   * Runs {@code command} in instance {@code instanceId} of {@code appName}, waiting at most {@code
   * timeoutSeconds} (default 30, at most 300).
   *
   * @throws dev.berth.core.support.ValidationException naming {@code command} or {@code
   *     timeoutSeconds}
   * @throws dev.berth.core.support.NotFoundException for an app or instance the caller cannot see
   * @throws dev.berth.server.access.ForbiddenException without {@code instance.exec}
   * @throws dev.berth.core.support.ConflictException when the instance is not running
   * @throws dev.berth.server.support.exec.TooManyExecsException when too many run at once
   */
  public Result run(
      String appName, String instanceId, List<String> command, Integer timeoutSeconds) {
    String team = p.terminals().teamOf(appName);
    ExecRules.Request request = ExecRules.check(command, timeoutSeconds);
    return p.audit()
        .change(
            INSTANCE_EXEC.id(),
            TerminalTarget.INSTANCE,
            instanceId,
            c -> {
              c.team(team);
              TerminalTarget target = p.terminals().checkInstance(appName, instanceId);
              Instant began = p.clock().instant();
              ExecResult r;
              try (ExecLimiter.Permit permit = p.limiter().acquire(p.access().caller().name())) {
                r =
                    p.clusters()
                        .require(target.cluster())
                        .exec(instanceId, request.command(), request.timeout());
              }
              Duration took = Duration.between(began, p.clock().instant());
              ExecRules.Output out = ExecRules.cap(r.output(), ExecRules.OUTPUT_CAP);
              String text =
                  "exec "
                      + CommandLine.join(request.command())
                      + ": "
                      + ExecRules.outcome(r.exitCode(), r.timedOut(), request.timeout(), took);
              Map<String, Object> after = new LinkedHashMap<>();
              after.put("command", request.command());
              after.put("exitCode", r.exitCode());
              after.put("timedOut", r.timedOut());
              after.put("truncated", out.truncated());
              after.put("durationMillis", took.toMillis());
              c.detail(text).after(after);
              p.events()
                  .emit(
                      Event.normal(
                          p.clock().instant(),
                          target.cluster(),
                          target.kind(),
                          instanceId,
                          appName,
                          "Exec",
                          p.access().caller().name() + " ran " + text));
              return new Result(r.exitCode(), out.text(), r.timedOut(), out.truncated());
            });
  }
}
