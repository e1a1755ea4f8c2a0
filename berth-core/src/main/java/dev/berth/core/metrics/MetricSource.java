package dev.berth.core.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where measured values are read: Berth's embedded store, or a Prometheus queried with PromQL.
 * {@code match} selects series whose labels equal every given pair (empty: all series of the
 * metric). A source that cannot answer throws {@link MetricsUnavailableException}; it never answers
 * with invented values.
 */
public interface MetricSource {
  /** The newest sample of each matching series, no older than the source's staleness bound. */
  List<Sample> latest(String metric, Map<String, String> match);

  /** The matching series between {@code from} and {@code to}, one point per {@code step}. */
  List<Series> range(
      String metric, Map<String, String> match, Instant from, Instant to, Duration step);
}
