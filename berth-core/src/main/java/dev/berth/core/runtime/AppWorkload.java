package dev.berth.core.runtime;

import dev.berth.core.app.AppSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The desired workload of one application, as a runtime applies it: {@code instances} instances on
 * the lowest ordinals not in {@code reservedOrdinals}; ordinals {@code >= partition} run {@code
 * updateRevision}, the others {@code currentRevision} (exactly a StatefulSet's rolling-update
 * partition). With no rollout in progress both revisions are the same and partition is 0.
 *
 * <p>{@code updatedFirst} names ordinals below the partition that run {@code updateRevision} all
 * the same: the instances a gray release chose to go first. It is empty for a plain partition
 * rollout.
 */
public record AppWorkload(
    String app,
    int instances,
    Set<Integer> reservedOrdinals,
    long currentRevision,
    AppSpec currentSpec,
    long updateRevision,
    AppSpec updateSpec,
    int partition,
    Set<Integer> updatedFirst) {
  public AppWorkload {
    reservedOrdinals = reservedOrdinals == null ? Set.of() : Set.copyOf(reservedOrdinals);
    updatedFirst = updatedFirst == null ? Set.of() : Set.copyOf(updatedFirst);
    if (instances < 0) {
      throw new IllegalArgumentException("instances must be >= 0, was " + instances);
    }
    if (currentSpec == null) {
      currentRevision = updateRevision;
      currentSpec = updateSpec;
    }
  }

  /** A partition rollout with no instances chosen to go first. */
  public AppWorkload(
      String app,
      int instances,
      Set<Integer> reservedOrdinals,
      long currentRevision,
      AppSpec currentSpec,
      long updateRevision,
      AppSpec updateSpec,
      int partition) {
    this(
        app,
        instances,
        reservedOrdinals,
        currentRevision,
        currentSpec,
        updateRevision,
        updateSpec,
        partition,
        Set.of());
  }

  /** Whether the instance on {@code ordinal} should run the update revision. */
  public boolean updated(int ordinal) {
    return ordinal >= partition || updatedFirst.contains(ordinal);
  }

  /** A workload with every instance on one revision. */
  public static AppWorkload settled(
      String app, int instances, Set<Integer> reserved, long revision, AppSpec spec) {
    return new AppWorkload(app, instances, reserved, revision, spec, revision, spec, 0);
  }

  /** The ordinals that should exist, ascending. */
  public List<Integer> ordinals() {
    List<Integer> out = new ArrayList<>(instances);
    Set<Integer> reserved = new TreeSet<>(reservedOrdinals);
    for (int o = 0; out.size() < instances; o++) {
      if (!reserved.contains(o)) {
        out.add(o);
      }
    }
    return out;
  }

  /** Every instance that should exist with the revision it should run. Pure; no I/O. */
  public List<InstanceSlot> slots() {
    List<InstanceSlot> out = new ArrayList<>(instances);
    for (int o : ordinals()) {
      boolean updated = updated(o);
      out.add(
          new InstanceSlot(
              app,
              o,
              updated ? updateRevision : currentRevision,
              updated ? updateSpec : currentSpec));
    }
    return out;
  }
}
