package dev.berth.server.metric;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;

/**
 * A metrics API request read and checked: the metric, the label match and, for a range, its times
 * and step. Every wrong parameter is named with its fix in one {@link ValidationException}. Pure.
 *
 * <p>Times are RFC 3339 ({@code 2026-12-03T10:00:00Z}), epoch seconds, or {@code now} / {@code
 * now-24h}; durations are {@code 15s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT15S}).
 */
public record MetricQuery(
    String metric, Map<String, String> match, Instant from, Instant to, Duration step) {

  /** The labels a query may match on. */
  public static final List<String> LABELS =
      List.of(
          MetricNames.CLUSTER,
          MetricNames.NODE,
          MetricNames.APP,
          MetricNames.INSTANCE,
          MetricNames.TEAM,
          MetricNames.TASK,
          MetricNames.RUN,
          MetricNames.MODE,
          MetricNames.DEVICE,
          MetricNames.MOUNTPOINT);

  /** Points a range answers when no step is given. */
  static final int DEFAULT_POINTS = 240;

  /**
   * Reads a query.
   *
   * @param range whether times and a step are read (a range query) or ignored (latest values)
   * @param minStep the smallest sensible step (the collection interval)
   */
  public static MetricQuery read(
      Map<String, String> params, boolean range, Instant now, Duration minStep) {
    List<FieldError> errors = new ArrayList<>();
    String metric = params.get("metric");
    if (metric == null || metric.isBlank()) {
      errors.add(
          new FieldError("metric", "is required, e.g. berth_instance_memory_working_set_bytes"));
    } else if (ClusterMetrics.isBerths(metric) && !MetricNames.ALL.contains(metric)) {
      errors.add(
          new FieldError(
              "metric",
              "'"
                  + metric
                  + "' is not one of Berth's metrics; GET /api/v1/metrics lists them (e.g."
                  + " berth_instance_cpu_seconds_total, berth_node_conntrack_entries)"));
    } else if (!metric.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      errors.add(
          new FieldError("metric", "must be a Prometheus metric name, was '" + metric + "'"));
    }
    Map<String, String> match = new LinkedHashMap<>();
    for (String label : LABELS) {
      String v = params.get(label);
      if (v != null && !v.isBlank()) {
        match.put(label, v);
      }
    }
    Instant to = null;
    Instant from = null;
    Duration step = null;
    if (range) {
      to = time(params.get("to"), "to", now, now, errors);
      from =
          time(
              params.get("from"),
              "from",
              now,
              to == null ? null : to.minus(Duration.ofHours(1)),
              errors);
      if (from != null && to != null && to.isBefore(from)) {
        errors.add(new FieldError("to", "must not be before from (" + from + "), was " + to));
      }
      String s = params.get("step");
      if (s == null || s.isBlank()) {
        if (from != null && to != null && !to.isBefore(from)) {
          Duration span = Duration.between(from, to).dividedBy(DEFAULT_POINTS);
          step = span.compareTo(minStep) < 0 ? minStep : span;
        }
      } else {
        step = duration(s, "step", errors);
        if (step != null && (step.isZero() || step.isNegative())) {
          errors.add(new FieldError("step", "must be positive, e.g. 15s or 5m, was " + s));
        } else if (step != null && from != null && to != null && !to.isBefore(from)) {
          long points = Duration.between(from, to).toMillis() / step.toMillis() + 1;
          if (points > EmbeddedMetricStore.MAX_POINTS) {
            errors.add(
                new FieldError(
                    "step",
                    "gives "
                        + points
                        + " points between from and to; at most "
                        + EmbeddedMetricStore.MAX_POINTS
                        + ": choose a larger step"));
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new MetricQuery(metric, Map.copyOf(match), from, to, step);
  }

  private static Instant time(
      String s, String field, Instant now, Instant fallback, List<FieldError> errors) {
    if (s == null || s.isBlank()) {
      return fallback;
    }
    if (s.equals("now")) {
      return now;
    }
    if (s.startsWith("now-")) {
      Duration d = duration(s.substring(4), field, errors);
      return d == null ? null : now.minus(d);
    }
    if (s.matches("\\d+(\\.\\d+)?")) {
      return Instant.ofEpochMilli(Math.round(Double.parseDouble(s) * 1000));
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      errors.add(
          new FieldError(
              field,
              "must be RFC 3339 (2026-12-03T10:00:00Z), epoch seconds, now or now-<duration> (now-24h),"
                  + " was '"
                  + s
                  + "'"));
      return null;
    }
  }

  private static Duration duration(String s, String field, List<FieldError> errors) {
    try {
      return DurationStyle.detectAndParse(s);
    } catch (IllegalArgumentException e) {
      errors.add(
          new FieldError(field, "must be a duration such as 15s, 5m or 1h, was '" + s + "'"));
      return null;
    }
  }
}
