package dev.berth.core.release;

/**
 * Where a release stands. {@code progressing} and {@code paused} are active; {@code aborted} and
 * {@code failed} stay active while the instances the release updated return to its from-revision
 * ({@link Release#returning()}), then settle; {@code succeeded} and {@code superseded} are final.
 */
public enum ReleaseState {
  /** Moving instances to the new revision, batch after batch. */
  PROGRESSING,
  /** Holding: awaiting promotion, paused by hand, or stopped by a failing batch (see reason). */
  PAUSED,
  /** Every instance runs the new revision and is ready. */
  SUCCEEDED,
  /** Stopped by hand; every updated instance returns (or has returned) to the from-revision. */
  ABORTED,
  /** Stopped by a failing batch with {@code onFailure: fail}; returns like an abort. */
  FAILED,
  /** Replaced by a newer release of the same app, which took over its instances. */
  SUPERSEDED;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
