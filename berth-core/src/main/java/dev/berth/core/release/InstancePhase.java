package dev.berth.core.release;

/** Where one instance stands in a release. */
public enum InstancePhase {
  /** Chosen for the current batch; taken out of traffic, still on the from-revision. */
  DRAINING,
  /** Drained and handed to the runtime to run the new revision; not ready on it yet. */
  UPDATING,
  /** Runs the new revision and is ready; back in traffic. */
  UPDATED,
  /** Being returned (abort, failure): taken out of traffic, still on the new revision. */
  RETURNING,
  /** Handed back to the from-revision; not ready on it yet. */
  REVERTING;

  /** Whether the instance should run the new revision in this phase. */
  public boolean onNewRevision() {
    return this == UPDATING || this == UPDATED || this == RETURNING;
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
