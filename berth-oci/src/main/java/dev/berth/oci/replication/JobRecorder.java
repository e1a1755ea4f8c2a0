package dev.berth.oci.replication;

import java.time.Instant;

/**
 * Where the engine reports jobs (the server stores them; tests keep them in a list). Called from
 * the engine's worker threads, so implementations must be thread-safe. A recorder that throws does
 * not stop the copy: the engine logs and carries on.
 */
public interface JobRecorder {
  /** A job is starting; returns its id. */
  String started(JobStart start);

  /** Attempt {@code attempt} failed with {@code reason} and will be retried. */
  default void retrying(String jobId, int attempt, String reason) {}

  /** The job ended. */
  void finished(String jobId, ReplicationOutcome outcome);

  /** Records nothing; ids are empty. */
  static JobRecorder none() {
    return new JobRecorder() {
      @Override
      public String started(JobStart start) {
        return "";
      }

      @Override
      public void finished(String jobId, ReplicationOutcome outcome) {}
    };
  }

  /**
   * The start of a job.
   *
   * @param source the source reference as given (tag or digest)
   * @param target the target reference (with tag)
   */
  record JobStart(
      String rule,
      Trigger trigger,
      String source,
      String target,
      String repository,
      String tag,
      Instant startedAt,
      Instant pushedAt) {}
}
