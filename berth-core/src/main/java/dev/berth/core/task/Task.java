package dev.berth.core.task;

import java.time.Instant;

/**
 * A short-lived task: what runs ({@link TaskSpec}), when ({@link Trigger}), how the caller waits
 * ({@link RunMode}), where the result is posted ({@code callbackUrl}, signed with {@code
 * callbackSecret}, which is never shown back), its time limit, retries, whether a failed run's
 * container is kept for debugging, and what overlapping fires do.
 */
public record Task(
    String name,
    String team,
    String owner,
    String cluster,
    TaskSpec spec,
    Trigger trigger,
    RunMode mode,
    String callbackUrl,
    String callbackSecret,
    int timeoutSeconds,
    int retries,
    boolean keepOnFailure,
    ConcurrencyPolicy concurrency,
    long version,
    Instant createdAt,
    Instant updatedAt) {

  /** Like the generated one, without the callback secret, so that no log line carries it. */
  @Override
  public String toString() {
    return "Task[name="
        + name
        + ", team="
        + team
        + ", owner="
        + owner
        + ", cluster="
        + cluster
        + ", spec="
        + spec
        + ", trigger="
        + trigger
        + ", mode="
        + mode
        + ", callbackUrl="
        + callbackUrl
        + ", callbackSecret="
        + (callbackSecret == null ? null : "***")
        + ", timeoutSeconds="
        + timeoutSeconds
        + ", retries="
        + retries
        + ", keepOnFailure="
        + keepOnFailure
        + ", concurrency="
        + concurrency
        + ", version="
        + version
        + ", createdAt="
        + createdAt
        + ", updatedAt="
        + updatedAt
        + "]";
  }
}
