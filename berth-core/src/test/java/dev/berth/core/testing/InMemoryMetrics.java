package dev.berth.core.testing;

import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.MetricsUnavailableException;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A metric source holding what a test records; it can be made unavailable. */
public final class InMemoryMetrics implements MetricSource {
  private final List<Sample> samples = new ArrayList<>();

  /** While true, every read throws {@link MetricsUnavailableException}. */
  public volatile boolean down;

  /** Records one sample. */
  public synchronized void record(
      String name, Map<String, String> labels, double value, Instant at) {
    samples.add(new Sample(name, labels, value, at));
  }

  @Override
  public synchronized List<Sample> latest(String metric, Map<String, String> match) {
    check();
    Map<Map<String, String>, Sample> newest = new LinkedHashMap<>();
    for (Sample s : samples) {
      if (s.name().equals(metric) && matches(s, match)) {
        newest.put(s.labels(), s);
      }
    }
    return List.copyOf(newest.values());
  }

  @Override
  public synchronized List<Series> range(
      String metric, Map<String, String> match, Instant from, Instant to, Duration step) {
    check();
    Map<Map<String, String>, List<Series.Point>> points = new LinkedHashMap<>();
    for (Sample s : samples) {
      if (s.name().equals(metric)
          && matches(s, match)
          && !s.at().isBefore(from)
          && !s.at().isAfter(to)) {
        points
            .computeIfAbsent(s.labels(), k -> new ArrayList<>())
            .add(new Series.Point(s.at(), s.value()));
      }
    }
    List<Series> out = new ArrayList<>();
    points.forEach((l, p) -> out.add(new Series(metric, l, p)));
    return out;
  }

  private void check() {
    if (down) {
      throw new MetricsUnavailableException("store closed", null);
    }
  }

  private static boolean matches(Sample s, Map<String, String> match) {
    return match.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey())));
  }
}
