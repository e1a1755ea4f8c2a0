package dev.berth.core.autoscale;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the autoscaler remembers between evaluations, stored with the policy so that a restarted
 * Berth keeps its windows: the recent recommendations (for stabilization) and the recent changes of
 * count (for rate limits and the cool-down), each pruned to the longest window that reads them.
 */
public record AutoscaleState(List<Recommendation> recommendations, List<Change> changes) {
  public static final AutoscaleState EMPTY = new AutoscaleState(List.of(), List.of());

  public AutoscaleState {
    recommendations = recommendations == null ? List.of() : List.copyOf(recommendations);
    changes = changes == null ? List.of() : List.copyOf(changes);
  }

  /** A count recommended at a time, before stabilization. */
  public record Recommendation(Instant at, int count) {}

  /** A change of count the autoscaler made. */
  public record Change(Instant at, int from, int to) {}

  /** The last change, or null. */
  public Change lastChange() {
    return changes.isEmpty() ? null : changes.getLast();
  }

  AutoscaleState with(Recommendation r, Change c, Instant keepFrom, Instant keepChangesFrom) {
    List<Recommendation> recs = new ArrayList<>();
    for (Recommendation old : recommendations) {
      if (!old.at().isBefore(keepFrom)) {
        recs.add(old);
      }
    }
    recs.add(r);
    List<Change> ch = new ArrayList<>();
    for (Change old : changes) {
      if (!old.at().isBefore(keepChangesFrom)) {
        ch.add(old);
      }
    }
    if (ch.isEmpty() && !changes.isEmpty()) {
      ch.add(changes.getLast()); // the cool-down needs the last change however old
    }
    if (c != null) {
      ch.add(c);
    }
    return new AutoscaleState(recs, ch);
  }
}
