package dev.berth.core.task;

import dev.berth.core.metrics.MetricsUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Whether a run of a task with a {@link Placement} may start now, and if not why and when to look
 * again: its window must be open and its cluster's node CPU below its idle threshold. A pure
 * decision over the time and one CPU reading (read only when an idle condition is set).
 */
public final class StartGate {
  /** How often a run waiting for idle CPU looks again. */
  public static final Duration IDLE_RECHECK = Duration.ofSeconds(30);

  /**
   * The longest a run waiting for its window sleeps before looking again, so that a clock that was
   * set or a Berth that was suspended is noticed.
   */
  public static final Duration WINDOW_RECHECK = Duration.ofMinutes(10);

  private StartGate() {}

  /**
   * Start now ({@code go}), or wait: {@code reason} for people, look again after {@code recheck}.
   */
  public record Decision(boolean go, String reason, Duration recheck) {
    static final Decision GO = new Decision(true, null, Duration.ZERO);
  }

  /**
   * @param cpu the cluster's node CPU in percent; may throw {@link MetricsUnavailableException}
   */
  public static Decision decide(Placement placement, Instant now, DoubleSupplier cpu) {
    if (placement.window() != null) {
      RunWindow window = RunWindow.parse(placement.window(), ZoneId.of(placement.zoneOrUtc()));
      if (!window.isOpen(now)) {
        return window
            .nextOpening(now)
            .map(
                at ->
                    new Decision(
                        false,
                        "waiting for window " + window + ", opens at " + window.local(at),
                        min(Duration.between(now, at), WINDOW_RECHECK)))
            .orElseGet(
                () ->
                    new Decision(
                        false,
                        "waiting for window " + window + ", which does not open in the next days",
                        WINDOW_RECHECK));
      }
    }
    if (placement.idle() != null) {
      String below = "waiting for node CPU below " + placement.idle() + " %";
      double busy;
      try {
        busy = cpu.getAsDouble();
      } catch (MetricsUnavailableException e) {
        return new Decision(
            false, below + ", but node CPU is not measured: " + e.getMessage(), IDLE_RECHECK);
      }
      if (busy >= placement.idle()) {
        return new Decision(
            false,
            below + ", now " + String.format(Locale.ROOT, "%.0f", busy) + " %",
            IDLE_RECHECK);
      }
    }
    return Decision.GO;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
