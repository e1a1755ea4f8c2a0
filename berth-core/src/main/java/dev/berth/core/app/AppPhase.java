package dev.berth.core.app;

/** Where an application stands, as shown in lists. */
public enum AppPhase {
  /** Created, no instance ready yet. */
  PENDING,
  /** A new revision or instance count is being rolled out. */
  PROGRESSING,
  /** Every desired instance runs the current revision and is ready. */
  RUNNING,
  /** Some desired instances are not ready and the controller keeps trying. */
  DEGRADED,
  /** Scaled to zero. */
  STOPPED,
  /** Being deleted. */
  DELETING;

  @Override
  public String toString() {
    String n = name().toLowerCase(java.util.Locale.ROOT);
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }
}
