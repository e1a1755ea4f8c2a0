package dev.berth.core.task;

import java.time.Instant;

/**
 * One run of a task. {@code id} is {@code <task>-<number>}; {@code attempts} counts starts (1 +
 * retries used); {@code reclaimed} tells whether its container, filesystem and cgroup are gone.
 * {@code scheduledAt} is the fire time it was started for.
 */
public record Run(
    String id,
    String task,
    long number,
    String cluster,
    RunState state,
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
    String callbackStatus,
    int callbackAttempts) {

  /** This run in {@code state} with {@code message}, last updated at {@code now}. */
  public Run with(RunState state, String message, Instant now) {
    return new Run(
        id,
        task,
        number,
        cluster,
        state,
        attempts,
        exitCode,
        reason,
        message,
        node,
        hostIp,
        reclaimed,
        scheduledAt,
        createdAt,
        now,
        startedAt,
        endedAt,
        callbackStatus,
        callbackAttempts);
  }
}
