package dev.berth.core.alert;

import dev.berth.core.event.Event;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads which series (or event objects) satisfy a rule's condition now, with their values. Metric
 * conditions ask the {@link MetricSource} (which throws {@link
 * dev.berth.core.metrics.MetricsUnavailableException} when it cannot answer: the caller then keeps
 * the rule's alerts as they are); event conditions look at recent events.
 */
public final class ConditionReader {
  /** Events since a time, newest first. */
  @FunctionalInterface
  public interface RecentEvents {
    List<Event> since(Instant since);
  }

  private final MetricSource metrics;
  private final RecentEvents events;
  private final Function<String, String> teamOfApp;

  /**
   * @param teamOfApp the team of an app (null when unknown), so event alerts reach its team
   */
  public ConditionReader(
      MetricSource metrics, RecentEvents events, Function<String, String> teamOfApp) {
    this.metrics = metrics;
    this.events = events;
    this.teamOfApp = teamOfApp;
  }

  /** The active series' labels and values. */
  public Map<Map<String, String>, Double> active(Condition c, Instant now) {
    Map<Map<String, String>, Double> values =
        c.isEventCondition() ? eventCounts(c, now) : metricValues(c, now);
    Map<Map<String, String>, Double> active = new LinkedHashMap<>();
    values.forEach(
        (labels, v) -> {
          if (c.op().test(v, c.threshold())) {
            active.put(labels, v);
          }
        });
    return active;
  }

  private Map<Map<String, String>, Double> metricValues(Condition c, Instant now) {
    Map<Map<String, String>, Double> values = new LinkedHashMap<>();
    if (c.function() == Condition.Function.INCREASE) {
      Duration step =
          c.window().dividedBy(20).compareTo(Duration.ofSeconds(1)) < 0
              ? Duration.ofSeconds(1)
              : c.window().dividedBy(20);
      for (Series s : metrics.range(c.metric(), c.match(), now.minus(c.window()), now, step)) {
        values.put(s.labels(), increase(s.points()));
      }
    } else {
      for (Sample s : metrics.latest(c.metric(), c.match())) {
        values.put(s.labels(), s.value());
      }
    }
    if (c.per() == null) {
      return values;
    }
    Map<Map<String, String>, Double> per = new HashMap<>();
    for (Sample s : metrics.latest(c.per(), c.match())) {
      per.put(s.labels(), s.value());
    }
    Map<Map<String, String>, Double> ratios = new LinkedHashMap<>();
    values.forEach(
        (labels, v) -> {
          Double d = per.get(labels);
          if (d != null && d > 0) {
            ratios.put(labels, v / d);
          }
        });
    return ratios;
  }

  /** A counter's increase over its points: the sum of rises, a drop being a reset to zero. */
  static double increase(List<Series.Point> points) {
    double sum = 0;
    for (int i = 1; i < points.size(); i++) {
      double prev = points.get(i - 1).value();
      double cur = points.get(i).value();
      sum += cur >= prev ? cur - prev : cur;
    }
    return sum;
  }

  private Map<Map<String, String>, Double> eventCounts(Condition c, Instant now) {
    Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
    for (Event e : events.since(now.minus(c.window()))) {
      if (!c.events().contains(e.reason())) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("cluster", e.cluster());
      labels.put(e.kind(), e.name());
      if (e.app() != null) {
        labels.put("app", e.app());
        String team = teamOfApp.apply(e.app());
        if (team != null) {
          labels.put("team", team);
        }
      }
      labels.put("reason", e.reason());
      if (c.match().entrySet().stream()
          .allMatch(m -> m.getValue().equals(labels.get(m.getKey())))) {
        counts.merge(Map.copyOf(labels), 1.0, Double::sum);
      }
    }
    return counts;
  }
}
