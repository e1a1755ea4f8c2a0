package dev.berth.server.task;

import dev.berth.core.task.Run;
import java.time.Instant;

/**
 * A run as the API shows it: state, times, exit code and reason, with {@code logTail} when the
 * caller waited for it to end.
 */
public record RunJson(
    String id,
    String task,
    long number,
    String cluster,
    @io.swagger.v3.oas.annotations.media.Schema(
            description =
                "queued, waiting (for its task's window or an idle node: message says which and"
                    + " until when), starting, running, succeeded, failed, timed_out, cancelled",
            example = "waiting")
        String state,
    int attempts,
    Integer exitCode,
    String reason,
    String message,
    String node,
    String hostIp,
    boolean reclaimed,
    Instant scheduledAt,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant endedAt,
    Callback callback,
    String logTail) {

  /** Delivery of the run's result to its task's callback URL. */
  public record Callback(String status, int attempts) {}

  public static RunJson of(Run r) {
    return of(r, null);
  }

  public static RunJson of(Run r, String logTail) {
    return new RunJson(
        r.id(),
        r.task(),
        r.number(),
        r.cluster(),
        r.state().toString(),
        r.attempts(),
        r.exitCode(),
        r.reason(),
        r.message(),
        r.node(),
        r.hostIp(),
        r.reclaimed(),
        r.scheduledAt(),
        r.createdAt(),
        r.updatedAt(),
        r.startedAt(),
        r.endedAt(),
        r.callbackStatus() == null ? null : new Callback(r.callbackStatus(), r.callbackAttempts()),
        logTail);
  }
}
