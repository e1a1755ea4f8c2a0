package dev.berth.server.alert;

import dev.berth.core.alert.KnownMetrics;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.MetricsUnavailableException;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What rules read: Berth's status series from {@link StatusMetrics}, every other name from the
 * collected metrics (the embedded store or Prometheus), or "unavailable" while there is none.
 */
final class AlertMetrics implements MetricSource {
  private final MetricSource status;
  private final Supplier<MetricSource> collected;

  /**
   * @param collected the collected metrics' source, or null while none is configured
   */
  AlertMetrics(MetricSource status, Supplier<MetricSource> collected) {
    this.status = status;
    this.collected = collected;
  }

  private MetricSource source(String metric) {
    if (KnownMetrics.STATUS.contains(metric)) {
      return status;
    }
    MetricSource s = collected.get();
    if (s == null) {
      throw new MetricsUnavailableException("no metrics source is configured for " + metric, null);
    }
    return s;
  }

  @Override
  public List<Sample> latest(String metric, Map<String, String> match) {
    return source(metric).latest(metric, match);
  }

  @Override
  public List<Series> range(
      String metric, Map<String, String> match, Instant from, Instant to, Duration step) {
    return source(metric).range(metric, match, from, to, step);
  }
}
