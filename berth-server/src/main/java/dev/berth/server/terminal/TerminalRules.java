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

  /** Why a terminal cut by a stop of the Berth that held it was closed. */
  static final String BERTH_STOPPED = "Berth stopped";

  /**
   * Whether Berth {@code me}, starting, closes a stored terminal of Berth {@code holder}: its own
   * (it held the terminal when it stopped), or one of a Berth whose last sign of life ({@code
   * holderLastSeen}, null when it never gave one) is older than {@code goneAfter}. Terminals of
   * another Berth that still lives are left to it.
   */
  static boolean leftBehind(
      String holder, String me, Instant holderLastSeen, Instant now, Duration goneAfter) {
    if (holder.equals(me)) {
      return true;
    }
    return holderLastSeen == null || holderLastSeen.plus(goneAfter).isBefore(now);
  }

  /**
   * How long a terminal cut by a stop of its Berth lasted: up to that Berth's last sign of life
   * ({@code lastSeen}), unknown when there is none or it came before the terminal opened.
   */
  static Optional<Duration> lastedUntil(Instant openedAt, Instant lastSeen) {
    if (lastSeen == null || lastSeen.isBefore(openedAt)) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(openedAt, lastSeen));
  }

  /** A duration the way people read it: {@code 15m}, {@code 1h 2m 3s}, {@code 0s}. */
  static String human(Duration d) {
    return ExecRules.human(d);
  }
}
