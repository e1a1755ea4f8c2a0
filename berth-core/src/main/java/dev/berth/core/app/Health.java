package dev.berth.core.app;

/**
 * Health checks of an instance. A failing {@code liveness} restarts it; {@code readiness} decides
 * whether it counts as ready (and receives traffic). Either may be null; without readiness an
 * instance is ready once its process runs.
 */
public record Health(Probe liveness, Probe readiness) {
  public static final Health NONE = new Health(null, null);
}
