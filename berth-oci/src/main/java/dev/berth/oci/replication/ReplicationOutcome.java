package dev.berth.oci.replication;

import java.time.Duration;

/**
 * How a replication ended.
 *
 * @param result succeeded, up to date (nothing to copy, no job recorded for a sync) or failed
 * @param jobId the job record, or null when none was made
 * @param stats what the last attempt copied (null when no attempt got that far)
 * @param attempts attempts made (0 when up to date)
 * @param duration from the job's start to its end
 * @param latency from the push to the end of the copy, when the push time is known and it
 *     succeeded; else null
 * @param reason why it failed, or null
 */
public record ReplicationOutcome(
    Result result,
    String jobId,
    CopyStats stats,
    int attempts,
    Duration duration,
    Duration latency,
    String reason) {

  /** The outcome kinds. */
  public enum Result {
    SUCCEEDED,
    UP_TO_DATE,
    FAILED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  public boolean ok() {
    return result != Result.FAILED;
  }

  /** The digest in the target, or null when it failed before knowing it. */
  public String digest() {
    return stats == null ? null : stats.digest();
  }
}
