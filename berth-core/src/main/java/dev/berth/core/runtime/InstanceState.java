package dev.berth.core.runtime;

/** Lifecycle state of one instance as its runtime sees it. */
public enum InstanceState {
  /** Known but not started yet (image being pulled, waiting for a node). */
  PENDING,
  /** Process started; not yet known to be healthy. */
  RUNNING,
  /** Exited and waiting out the restart back-off. */
  BACKOFF,
  /** Being stopped (stop hook, SIGTERM, grace period). */
  STOPPING,
  /** Stopped and not to be restarted. */
  EXITED,
  /** Cannot start at all (bad image, bad command); retried with back-off. */
  FAILED;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
