package dev.berth.server.metric;

import java.time.Duration;
import java.time.Instant;

/**
 * One resolution of the embedded store: samples are kept in slots of {@code step} for {@code
 * retention}; a slot at index {@code s} stands for the time {@code s * step} since the epoch.
 * {@code chunkSlots} slots make one chunk (the unit of allocation and expiry).
 */
record Tier(Duration step, Duration retention, int chunkSlots) {
  Tier {
    if (step.isZero() || step.isNegative()) {
      throw new IllegalArgumentException("a tier's step must be positive, was " + step);
    }
    if (retention.compareTo(step) < 0) {
      throw new IllegalArgumentException(
          "a tier's retention must be at least its step, was " + retention);
    }
  }

  /** A tier whose chunks span about an hour (at least one slot, at most 4096). */
  static Tier of(Duration step, Duration retention) {
    long perHour = Math.max(1, Duration.ofHours(1).toMillis() / step.toMillis());
    long slots =
        Math.min(4096, Math.max(perHour, Math.min(288, retention.toMillis() / step.toMillis())));
    return new Tier(step, retention, (int) slots);
  }

  long slot(Instant t) {
    return Math.floorDiv(t.toEpochMilli(), step.toMillis());
  }

  Instant time(long slot) {
    return Instant.ofEpochMilli(slot * step.toMillis());
  }

  /** The first slot still kept at {@code now}. */
  long oldestSlot(Instant now) {
    return slot(now.minus(retention)) + 1;
  }
}
