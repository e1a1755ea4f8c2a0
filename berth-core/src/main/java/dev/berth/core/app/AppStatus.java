package dev.berth.core.app;

import java.time.Instant;

/**
 * Observed state of an application, written by the controller. {@code revision} is the revision
 * every instance has reached; while a newer one rolls out, instances with ordinals {@code >=
 * partition} run the newer one, {@code updateRevision} (the StatefulSet partition rule).
 *
 * <p>Why the app is in its phase, in the shape of a Kubernetes condition: {@code reason} is one
 * CamelCase word a program can match ({@code AllReady}, {@code CrashLoopBackOff}, {@code NotReady},
 * {@code WaitingForStop}, ...; see {@link Diagnosis}), {@code message} a sentence for people naming
 * the instance concerned, and {@code since} when the phase last changed (null until a controller
 * recorded one).
 */
public record AppStatus(
    AppPhase phase,
    int ready,
    int desired,
    long revision,
    long updateRevision,
    int partition,
    String message,
    String reason,
    Instant since) {
  public AppStatus {
    reason = reason == null ? "" : reason;
  }

  /** A status without reason and time, as written before they existed. */
  public AppStatus(
      AppPhase phase,
      int ready,
      int desired,
      long revision,
      long updateRevision,
      int partition,
      String message) {
    this(phase, ready, desired, revision, updateRevision, partition, message, "", null);
  }

  public static AppStatus initial(int desired) {
    return new AppStatus(
        desired == 0 ? AppPhase.STOPPED : AppPhase.PENDING, 0, desired, 0, 0, 0, "");
  }

  /** True while a newer revision than the one all instances reached is being rolled out. */
  public boolean rollingOut(long targetRevision) {
    return revision != 0 && revision != targetRevision;
  }

  /**
   * This status with {@code since} carried over from {@code previous} when the phase stayed the
   * same, else {@code now}: the time the app entered its phase.
   */
  public AppStatus since(AppStatus previous, Instant now) {
    Instant at =
        previous != null && previous.phase() == phase && previous.since() != null
            ? previous.since()
            : now;
    return new AppStatus(
        phase, ready, desired, revision, updateRevision, partition, message, reason, at);
  }
}
