package dev.berth.server.terminal;

import dev.berth.server.support.exec.ExecRules;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When an open terminal is closed by Berth: pure decisions, tested on their own. */
final class TerminalRules {
  private TerminalRules() {}

  /**
   * Why a terminal must close now, or empty to keep it: its instance stopped (or its run's
   * filesystem was reclaimed), or nobody typed for {@code idleTimeout} since {@code lastInput}.
   */
  static Optional<String> closeReason(
      Instant now, Instant lastInput, Duration idleTimeout, boolean targetAlive, String kind) {
    if (!targetAlive) {
      return Optional.of(stopped(kind));
    }
    Duration idle = Duration.between(lastInput, now);
    if (idle.compareTo(idleTimeout) >= 0) {
      return Optional.of("idle for " + human(idleTimeout));
    }
    return Optional.empty();
  }

  /** Why a terminal into a target of {@code kind} that no longer runs was closed. */
  static String stopped(String kind) {
    return TerminalTarget.INSTANCE.equals(kind)
        ? "the instance stopped"
        : "the run ended and its filesystem is gone";
  }

  /** A duration the way people read it: {@code 15m}, {@code 1h 2m 3s}, {@code 0s}. */
  static String human(Duration d) {
    return ExecRules.human(d);
  }
}
