package dev.berth.core.app;

/**
 * Observed state of an application, written by the controller. {@code revision} is the revision every
 * instance has reached; while a newer one rolls out, instances with ordinals {@code >= partition} run
 * the newer one, {@code updateRevision} (the StatefulSet partition rule).
 */
public record AppStatus(
    AppPhase phase,
    int ready,
    int desired,
    long revision,
    long updateRevision,
    int partition,
    String message) {
  public static AppStatus initial(int desired) {
    return new AppStatus(desired == 0 ? AppPhase.STOPPED : AppPhase.PENDING, 0, desired, 0, 0, 0, "");
  }

  /** True while a newer revision than the one all instances reached is being rolled out. */
  public boolean rollingOut(long targetRevision) {
    return revision != 0 && revision != targetRevision;
  }
}
