package dev.berth.server.gateway;

import java.util.Optional;

/**
 * Whether a mirror must stop: when the primary app's p99 latency over the last window rose by more
 * than the mirror's bound over the p99 before mirroring started. Decides only on a window with at
 * least {@link #MIN_REQUESTS} requests, so a handful of slow requests never stop it. Pure.
 */
final class MirrorGuard {
  static final long MIN_REQUESTS = 50;

  private MirrorGuard() {}

  /** Why the mirror stops, or empty when it goes on. */
  static Optional<String> verdict(Mirror mirror, GatewayCounters.Latency window) {
    if (mirror.baselineP99Seconds() == null || window.count() < MIN_REQUESTS) {
      return Optional.empty();
    }
    Optional<Double> p99 = window.p99();
    if (p99.isEmpty()) {
      return Optional.empty();
    }
    double limit = mirror.baselineP99Seconds() * (1 + mirror.maxP99RisePercent() / 100.0);
    if (p99.get() <= limit) {
      return Optional.empty();
    }
    return Optional.of(
        "p99 latency of "
            + mirror.app()
            + " rose to "
            + p99.get()
            + " s over "
            + window.count()
            + " requests, more than "
            + mirror.maxP99RisePercent()
            + " % above "
            + mirror.baselineP99Seconds()
            + " s before mirroring");
  }
}
