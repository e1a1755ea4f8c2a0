package dev.berth.core.autoscale;

import dev.berth.core.autoscale.Decision.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The first half of a decision: what the metrics ask for, raised by a schedule floor, clamped to
 * min and max, capped by a schedule ceiling — {@code clamp(max(floor, metrics), min, max)}, then
 * {@code min(that, ceiling)} (a ceiling is never below min). Pure.
 */
final class Recommender {
  private Recommender() {}

  /** A recommended count, the rule that set it last, and what the metrics alone asked for. */
  record Recommendation(int count, String rule, Integer metricDesired, List<String> why) {}

  static Recommendation recommend(AutoscalePolicy p, Inputs in, Instant now, List<String> explain) {
    int current = in.current();
    Integer metricDesired = null;
    String rule = Rule.METRIC;
    boolean anyMissing = false;
    int fromMetrics = p.metrics().isEmpty() ? p.min() : 0;
    for (Reading r : in.readings()) {
      MetricTarget t = r.target();
      if (!r.present()) {
        anyMissing = true;
        explain.add(t.label() + ": no value (" + r.missing() + ") → holds " + current);
        fromMetrics = Math.max(fromMetrics, current);
        continue;
      }
      double ratio = r.value() / t.target();
      int proposal;
      String how;
      if (Math.abs(ratio - 1) <= p.tolerance()) {
        proposal = current;
        how = "within the tolerance of " + percent(p.tolerance()) + " → " + current;
      } else {
        proposal = (int) Math.ceil(current * ratio - 1e-9);
        how = "ratio " + round(ratio) + " × " + current + " → " + proposal;
      }
      explain.add(
          t.label()
              + ": "
              + round(r.value())
              + t.unit()
              + " (target "
              + round(t.target())
              + t.unit()
              + ", "
              + r.counted()
              + " instance(s) counted"
              + (r.leftOut().isEmpty() ? "" : "; left out: " + String.join(", ", r.leftOut()))
              + "), "
              + how);
      metricDesired = metricDesired == null ? proposal : Math.max(metricDesired, proposal);
      fromMetrics = Math.max(fromMetrics, proposal);
      if (metricDesired == proposal
          && proposal == current
          && Math.abs(ratio - 1) <= p.tolerance()) {
        rule = Rule.TOLERANCE;
      } else if (metricDesired == proposal) {
        rule = Rule.METRIC;
      }
    }
    if (!p.metrics().isEmpty() && metricDesired == null) {
      rule = Rule.MISSING_DATA;
    } else if (anyMissing && fromMetrics == current) {
      rule = Rule.MISSING_DATA;
    }
    int count = fromMetrics;
    Floor floor = floor(p, in, now, explain);
    if (floor != null && floor.count > count) {
      count = floor.count;
      rule = floor.rule;
    }
    if (count < p.min()) {
      count = p.min();
      rule = Rule.MIN;
    }
    if (count > p.max()) {
      count = p.max();
      rule = Rule.MAX;
    }
    Integer ceiling = null;
    for (WindowState w : in.windows()) {
      Integer c = w.window().ceiling();
      if (w.open() && c != null) {
        ceiling = ceiling == null ? c : Math.min(ceiling, c);
      }
    }
    if (ceiling != null) {
      int capped = Math.max(p.min(), ceiling);
      explain.add("schedule ceiling " + capped);
      if (count > capped) {
        count = capped;
        rule = Rule.SCHEDULE_CEILING;
      }
    }
    return new Recommendation(count, rule, metricDesired, explain);
  }

  private record Floor(int count, String rule) {}

  /**
   * The highest floor of an open window, or of a closed one still stepping down: one instance less
   * at its end and one less per cool-down after it.
   */
  private static Floor floor(AutoscalePolicy p, Inputs in, Instant now, List<String> explain) {
    Floor best = null;
    for (WindowState w : in.windows()) {
      Integer f = w.window().floor();
      if (f == null) {
        continue;
      }
      String name = w.window().name() == null ? "schedule" : "schedule " + w.window().name();
      if (w.open()) {
        explain.add(name + " is open: floor " + f);
        if (best == null || f > best.count) {
          best = new Floor(f, Rule.SCHEDULE_FLOOR);
        }
      } else if (w.lastEnd() != null && !now.isBefore(w.lastEnd())) {
        long cooldown = Math.max(1, p.cooldownSeconds());
        long steps = 1 + Duration.between(w.lastEnd(), now).toSeconds() / cooldown;
        long stepped = f - steps;
        if (stepped > p.min()) {
          explain.add(
              name
                  + " closed at "
                  + w.lastEnd()
                  + ": floor steps down one instance per cool-down, now "
                  + stepped);
          if (best == null || stepped > best.count) {
            best = new Floor((int) stepped, Rule.SCHEDULE_STEP_DOWN);
          }
        }
      }
    }
    return best;
  }

  static String round(double v) {
    return Math.abs(v - Math.rint(v)) < 1e-9
        ? String.valueOf((long) Math.rint(v))
        : String.format(java.util.Locale.ROOT, "%.2f", v);
  }

  private static String percent(double fraction) {
    return round(fraction * 100) + " %";
  }
}
