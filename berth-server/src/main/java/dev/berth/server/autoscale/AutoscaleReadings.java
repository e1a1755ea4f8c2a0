package dev.berth.server.autoscale;

import dev.berth.core.app.App;
import dev.berth.core.autoscale.MetricTarget;
import dev.berth.core.autoscale.Reading;
import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.MetricsUnavailableException;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads each target's value for an app from the {@link MetricSource}: CPU as the rate of {@code
 * berth_instance_cpu_seconds_total} over the metric window (else the newest {@code
 * berth_instance_cpu_usage_cores}, all Kubernetes' metrics API gives) in percent of the guaranteed
 * CPU, memory as the working set in percent of the limit, requests and p95 from the gateway's
 * metrics, any other metric by name (a counter as its rate). Only the {@link Counted} instances are
 * averaged; a counted instance without samples, or a source that does not answer, is a missing
 * value with the reason — never a zero.
 */
final class AutoscaleReadings {
  static final String GATEWAY_REQUESTS = "berth_gateway_requests_total";
  static final String GATEWAY_DURATION = "berth_gateway_request_duration_seconds";

  private final MetricSource metrics;
  private final Duration window;

  AutoscaleReadings(MetricSource metrics, Duration window) {
    this.metrics = metrics;
    this.window = window;
  }

  Reading read(MetricTarget t, App app, Counted counted, Instant now) {
    if (counted.ids().isEmpty()) {
      return Reading.missing(t, "no running instance to measure");
    }
    try {
      return switch (t.type()) {
        case MetricTarget.CPU -> cpu(t, app, counted, now);
        case MetricTarget.MEMORY -> memory(t, app, counted);
        case MetricTarget.REQUESTS -> perInstance(t, GATEWAY_REQUESTS, appMatch(app), counted, now);
        case MetricTarget.P95 -> p95(t, app, counted, now);
        default -> perInstance(t, t.name(), match(t, app), counted, now);
      };
    } catch (MetricsUnavailableException | IllegalArgumentException e) {
      return Reading.missing(t, "the metric source does not answer: " + e.getMessage());
    }
  }

  private Reading cpu(MetricTarget t, App app, Counted counted, Instant now) {
    Map<String, Double> rates = ratesByInstance(MetricNames.INSTANCE_CPU_SECONDS, app, now);
    if (!rates.keySet().containsAll(counted.ids())) {
      // on Kubernetes (metrics.k8s.io) there is no counter, only the cores in use now
      for (Sample s : metrics.latest(MetricNames.INSTANCE_CPU_USAGE, appMatch(app))) {
        rates.putIfAbsent(s.labels().get(MetricNames.INSTANCE), s.value());
      }
    }
    double guaranteed = app.spec().resources().cpu();
    double sum = 0;
    for (String id : counted.ids()) {
      Double r = rates.get(id);
      if (r == null) {
        return Reading.missing(t, "instance " + id + " has no CPU samples yet");
      }
      sum += r / guaranteed * 100;
    }
    return Reading.of(t, sum / counted.ids().size(), counted.ids().size(), counted.leftOut());
  }

  private Reading memory(MetricTarget t, App app, Counted counted) {
    Map<String, Double> bytes = new HashMap<>();
    for (Sample s : metrics.latest(MetricNames.INSTANCE_MEMORY_WORKING_SET, appMatch(app))) {
      bytes.put(s.labels().get(MetricNames.INSTANCE), s.value());
    }
    double limit = app.spec().resources().memoryMiB() * 1024.0 * 1024.0;
    double sum = 0;
    for (String id : counted.ids()) {
      Double b = bytes.get(id);
      if (b == null) {
        return Reading.missing(t, "instance " + id + " has no memory samples yet");
      }
      sum += b / limit * 100;
    }
    return Reading.of(t, sum / counted.ids().size(), counted.ids().size(), counted.leftOut());
  }

  /** The sum of the metric's series (a counter's rate) divided by the counted instances. */
  private Reading perInstance(
      MetricTarget t, String name, Map<String, String> match, Counted counted, Instant now) {
    double sum;
    if (MetricNames.isCounter(name)) {
      List<Series> series = metrics.range(name, match, now.minus(window), now, step());
      if (series.isEmpty()) {
        return Reading.missing(
            t, "no series of " + name + " in the last " + window.toSeconds() + " s");
      }
      sum = series.stream().mapToDouble(AutoscaleReadings::rate).sum();
    } else {
      List<Sample> latest = metrics.latest(name, match);
      if (latest.isEmpty()) {
        return Reading.missing(t, "no recent sample of " + name);
      }
      sum = latest.stream().mapToDouble(Sample::value).sum();
    }
    int n = counted.ids().size();
    return Reading.of(t, sum / n, n, counted.leftOut());
  }

  /** The 95th percentile of the gateway's duration histogram over the window, in milliseconds. */
  private Reading p95(MetricTarget t, App app, Counted counted, Instant now) {
    List<Series> buckets =
        metrics.range(GATEWAY_DURATION + "_bucket", appMatch(app), now.minus(window), now, step());
    if (buckets.isEmpty()) {
      return Reading.missing(
          t, "no series of " + GATEWAY_DURATION + "_bucket (is the gateway on?)");
    }
    Map<Double, Double> byLe = new HashMap<>();
    for (Series s : buckets) {
      String le = s.labels().get("le");
      double bound =
          le == null || le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      byLe.merge(bound, rate(s), Double::sum);
    }
    double seconds = Quantile.fromBuckets(0.95, byLe);
    int n = counted.ids().size();
    return Reading.of(t, Double.isNaN(seconds) ? 0 : seconds * 1000, n, counted.leftOut());
  }

  private Map<String, Double> ratesByInstance(String name, App app, Instant now) {
    Map<String, Double> out = new HashMap<>();
    for (Series s : metrics.range(name, appMatch(app), now.minus(window), now, step())) {
      if (s.points().size() >= 2) {
        out.merge(s.labels().get(MetricNames.INSTANCE), rate(s), Double::sum);
      }
    }
    return out;
  }

  /** A counter's increase per second between its first and last point (a reset counts from 0). */
  static double rate(Series s) {
    List<Series.Point> p = s.points();
    if (p.size() < 2) {
      return 0;
    }
    Series.Point first = p.getFirst();
    Series.Point last = p.getLast();
    double seconds = Duration.between(first.at(), last.at()).toMillis() / 1000.0;
    if (seconds <= 0) {
      return 0;
    }
    double increase = last.value() >= first.value() ? last.value() - first.value() : last.value();
    return increase / seconds;
  }

  private Duration step() {
    return window.dividedBy(12).compareTo(Duration.ofSeconds(1)) < 0
        ? Duration.ofSeconds(1)
        : window.dividedBy(12);
  }

  private static Map<String, String> appMatch(App app) {
    return Map.of(MetricNames.APP, app.name());
  }

  private static Map<String, String> match(MetricTarget t, App app) {
    Map<String, String> m = new HashMap<>(t.match());
    if (t.name().startsWith("berth_instance_")) {
      m.putIfAbsent(MetricNames.APP, app.name()); // the app's own instances unless told otherwise
    } else if (!t.name().startsWith("berth_")) {
      m.putIfAbsent(MetricNames.CLUSTER, app.cluster());
    }
    return m;
  }

  /** The instances averaged over, and those left out with why. */
  record Counted(List<String> ids, List<String> leftOut) {}
}
