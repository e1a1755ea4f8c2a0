package dev.berth.runtime.local;

import java.time.Duration;

/**
 * The restart delay schedule: {@code initial}, doubled per consecutive failure, capped at {@code
 * max}; an instance that stayed up {@code resetAfter} starts over at {@code initial}. Pure.
 */
record Backoff(Duration initial, Duration max, Duration resetAfter) {
  static final Duration RESET_AFTER = Duration.ofMinutes(10);

  /** The delay before restart number {@code consecutive} (0 = first restart after a good run). */
  Duration delay(int consecutive) {
    if (consecutive <= 0) {
      return min(initial, max);
    }
    long ms = initial.toMillis();
    for (int i = 0; i < consecutive && ms < max.toMillis(); i++) {
      ms *= 2;
    }
    return min(Duration.ofMillis(ms), max);
  }

  /**
   * The failure index to use after a run that lasted {@code uptime}: {@code consecutive} failures
   * so far, or 0 when the run was long enough to forget them.
   */
  int indexAfterRun(int consecutive, Duration uptime) {
    return uptime.compareTo(resetAfter) >= 0 ? 0 : consecutive;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
