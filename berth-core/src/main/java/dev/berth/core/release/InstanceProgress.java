package dev.berth.core.release;

import java.time.Instant;

/** One instance a release has touched: its ordinal, id, phase and when it entered the phase. */
public record InstanceProgress(int ordinal, String instance, InstancePhase phase, Instant since) {
  public InstanceProgress to(InstancePhase next, Instant now) {
    return new InstanceProgress(ordinal, instance, next, now);
  }
}
