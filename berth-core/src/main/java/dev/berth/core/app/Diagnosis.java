package dev.berth.core.app;

import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Why an application is in its phase: the phase, a CamelCase reason and a sentence naming the
 * instance concerned, decided from the desired ordinals and the observed instances. Pure.
 *
 * <p>Reasons: {@code Deleting}; {@code ScaledToZero} and {@code Stopping} (no instance wanted);
 * {@code AllReady}; the degraded ones {@code CrashLoopBackOff} (an instance exited and waits out
 * its restart back-off, or was restarted after a crash less than {@link #STABLE_AFTER} ago), {@code
 * FailedToStart} (an instance cannot be started) and {@code NotReady} (an instance has run longer
 * than {@link #notReadyAfter its readiness grace} without passing its readiness probe); while
 * changing {@code WaitingForStop} (a wanted instance is still stopping, e.g. scaled down a moment
 * ago, and starts again once stopped), {@code RollingOut} and {@code Starting}.
 */
public record Diagnosis(AppPhase phase, String reason, String message) {
  /**
   * How many failure windows of its readiness probe an instance may stay unready before it counts
   * as degraded.
   */
  public static final int NOT_READY_WINDOWS = 3;

  /**
   * How long an instance may run without passing its readiness probe before the app is degraded:
   * the probe's initial delay plus {@value #NOT_READY_WINDOWS} × failureThreshold × period (18 s
   * for the default probe: 3 × 3 × 2 s). Without a readiness probe a running instance is ready at
   * once.
   */
  public static Duration notReadyAfter(Probe readiness) {
    return Duration.ofSeconds(
        readiness.initialDelaySeconds()
            + (long) NOT_READY_WINDOWS * readiness.failureThreshold() * readiness.periodSeconds());
  }

  /**
   * How long an instance restarted after a crash (an exit that was not a clean exit 0) must stay up
   * before the app counts it as recovered: without it an app whose instance crashes every second
   * would flip between Degraded and Running with every restart (the idea of Kubernetes'
   * minReadySeconds).
   */
  public static final Duration STABLE_AFTER = Duration.ofSeconds(10);

  private static final int SIGTERM = 15;

  /**
   * Restarted after a crash and being started again, or up for less than {@link #STABLE_AFTER}. A
   * crash is an exit with an error code, by the OOM killer or by a signal other than SIGTERM (which
   * is how Berth stops an instance it restarts on request or replaces with a new revision).
   */
  static boolean restartedAfterCrashWithin(Instance i, Instant now) {
    ExitInfo exit = i.lastExit();
    boolean crashed =
        i.restarts() > 0
            && exit != null
            && exit.reason() != ExitReason.COMPLETED
            && !(exit.reason() == ExitReason.KILLED && exit.signal() == SIGTERM);
    boolean young =
        i.state() == InstanceState.RUNNING
            && i.startedAt() != null
            && Duration.between(i.startedAt(), now).compareTo(STABLE_AFTER) < 0;
    return crashed && (i.state() == InstanceState.PENDING || young);
  }

  /**
   * @param ordinals the desired ordinals, ascending
   * @param rolling whether a new revision is being rolled out
   * @param settled whether every desired instance runs the target revision, ready, and nothing else
   *     runs
   * @param now the time to judge "unready for long" by; null to not judge it
   */
  static Diagnosis of(
      App app,
      List<Integer> ordinals,
      Map<Integer, Instance> byOrdinal,
      boolean rolling,
      boolean settled,
      long revision,
      Instant now) {
    int desired = ordinals.size();
    int ready =
        (int) ordinals.stream().map(byOrdinal::get).filter(i -> i != null && i.ready()).count();
    String count = ready + " of " + desired + " instances ready";
    if (app.deleting()) {
      return new Diagnosis(AppPhase.DELETING, "Deleting", "deleting");
    }
    if (app.instances() == 0) {
      return settled
          ? new Diagnosis(AppPhase.STOPPED, "ScaledToZero", "scaled to zero")
          : new Diagnosis(AppPhase.PROGRESSING, "Stopping", "stopping the remaining instances");
    }
    List<Instance> wanted = ordinals.stream().map(byOrdinal::get).filter(Objects::nonNull).toList();
    String held = rolling ? "rollout of revision " + app.revision() + " is held: " : "";
    Optional<Instance> crashing = first(wanted, InstanceState.BACKOFF);
    if (crashing.isPresent()) {
      Instance i = crashing.get();
      return new Diagnosis(
          AppPhase.DEGRADED,
          "CrashLoopBackOff",
          held
              + i.id()
              + " "
              + orElse(i.message(), "exited")
              + " (restarts: "
              + i.restarts()
              + ")");
    }
    Optional<Instance> unstable =
        now == null
            ? Optional.empty()
            : wanted.stream().filter(i -> restartedAfterCrashWithin(i, now)).findFirst();
    if (unstable.isPresent()) {
      Instance i = unstable.get();
      String when =
          i.state() == InstanceState.PENDING
              ? "is being restarted"
              : "was restarted " + Duration.between(i.startedAt(), now).toSeconds() + "s ago";
      return new Diagnosis(
          AppPhase.DEGRADED,
          "CrashLoopBackOff",
          held
              + i.id()
              + " "
              + when
              + " after its last exit ("
              + i.lastExit().message()
              + "; restarts: "
              + i.restarts()
              + "); it counts as recovered after "
              + STABLE_AFTER.toSeconds()
              + "s up");
    }
    if (settled) {
      return new Diagnosis(AppPhase.RUNNING, "AllReady", count);
    }
    Optional<Instance> failing = first(wanted, InstanceState.FAILED);
    if (failing.isPresent()) {
      return new Diagnosis(
          AppPhase.DEGRADED,
          "FailedToStart",
          held + failing.get().id() + ": " + orElse(failing.get().message(), "cannot start"));
    }
    Probe readiness = app.spec().health().readiness();
    Optional<Instance> unready =
        now == null || readiness == null
            ? Optional.empty()
            : wanted.stream()
                .filter(
                    i -> i.state() == InstanceState.RUNNING && !i.ready() && i.startedAt() != null)
                .filter(
                    i ->
                        Duration.between(i.startedAt(), now).compareTo(notReadyAfter(readiness))
                            > 0)
                .findFirst();
    if (unready.isPresent()) {
      Instance i = unready.get();
      return new Diagnosis(
          AppPhase.DEGRADED,
          "NotReady",
          held
              + i.id()
              + " has not passed its readiness probe for "
              + Duration.between(i.startedAt(), now).toSeconds()
              + "s (more than "
              + NOT_READY_WINDOWS
              + " × failureThreshold "
              + readiness.failureThreshold()
              + " × period "
              + readiness.periodSeconds()
              + "s"
              + (readiness.initialDelaySeconds() > 0 ? " after the initial delay" : "")
              + ")");
    }
    Optional<Instance> stopping = first(wanted, InstanceState.STOPPING);
    AppPhase changing = revision == 0 ? AppPhase.PENDING : AppPhase.PROGRESSING;
    if (stopping.isPresent()) {
      Instance i = stopping.get();
      return new Diagnosis(
          changing,
          "WaitingForStop",
          count
              + "; "
              + i.id()
              + " is still stopping ("
              + orElse(i.message(), "stop requested")
              + ") and starts again once it has stopped, at the latest after its stop timeout of "
              + app.spec().lifecycle().stopTimeoutSeconds()
              + "s");
    }
    return new Diagnosis(changing, rolling ? "RollingOut" : "Starting", count);
  }

  private static Optional<Instance> first(List<Instance> instances, InstanceState state) {
    return instances.stream().filter(i -> i.state() == state).findFirst();
  }

  private static String orElse(String s, String fallback) {
    return s == null || s.isBlank() ? fallback : s;
  }
}
