package dev.berth.core.release;

import java.time.Instant;

/**
 * One batch of a release: its index (0 is the bastion when the strategy has one), the number of
 * instances on the new revision once it is done ({@code target}, cumulative), when it started, when
 * its last instance became ready, and when the release went past it (null while it has not).
 */
public record BatchProgress(
    int index, int target, Instant startedAt, Instant readyAt, Instant finishedAt) {
  BatchProgress started(Instant now) {
    return new BatchProgress(index, target, now, null, null);
  }

  BatchProgress ready(Instant now) {
    return new BatchProgress(index, target, startedAt, now, finishedAt);
  }

  BatchProgress finished(Instant now) {
    return new BatchProgress(index, target, startedAt, readyAt, now);
  }
}
