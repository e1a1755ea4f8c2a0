package dev.berth.core.autoscale;

import dev.berth.core.support.Errors;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/** The field checks of a policy's parts; each problem names its field under a prefix. */
final class MetricProblems {
  private static final List<String> TYPES =
      List.of(
          MetricTarget.CPU,
          MetricTarget.MEMORY,
          MetricTarget.REQUESTS,
          MetricTarget.P95,
          MetricTarget.METRIC);

  private MetricProblems() {}

  static void check(MetricTarget m, String prefix, double guaranteedCpu, Errors e) {
    if (m == null || !TYPES.contains(m.type())) {
      e.add(prefix + "type", "must be one of " + String.join(", ", TYPES));
      return;
    }
    if (m.usesPercent()) {
      Double p = m.targetPercent();
      e.check(
          p != null && p >= 1 && p <= 1000,
          prefix + "targetPercent",
          "must be between 1 and 1000 (percent of the "
              + (MetricTarget.CPU.equals(m.type()) ? "guaranteed CPU" : "memory limit")
              + "), was "
              + p);
    } else {
      Double v = m.targetValue();
      e.check(
          v != null && v > 0 && !v.isInfinite(),
          prefix + "targetValue",
          "must be a positive number (" + m.unit().trim() + "), was " + v);
    }
    if (MetricTarget.CPU.equals(m.type())) {
      e.check(
          guaranteedCpu > 0,
          prefix + "type",
          "cpu is a percentage of the guaranteed CPU: give the app resources.cpu first");
    }
    if (MetricTarget.METRIC.equals(m.type())) {
      e.check(
          m.name() != null && !m.name().isBlank() && m.name().length() <= 500,
          prefix + "name",
          "is required: a metric Berth stores (e.g. berth_instance_pids) or a cluster's"
              + " Prometheus answers");
    }
  }

  static void rules(ScalingRules r, String prefix, Errors e) {
    e.check(
        r.stabilization() >= 0 && r.stabilization() <= 3600,
        prefix + "stabilizationSeconds",
        "must be between 0 and 3600, was " + r.stabilizationSeconds());
    e.check(
        List.of(ScalingRules.MAX, ScalingRules.MIN, ScalingRules.DISABLED)
            .contains(r.selectPolicy()),
        prefix + "selectPolicy",
        "must be max, min or disabled, was " + r.selectPolicy());
    for (int i = 0; i < r.policies().size(); i++) {
      RatePolicy p = r.policies().get(i);
      String at = prefix + "policies[" + i + "].";
      e.check(
          RatePolicy.INSTANCES.equals(p.type()) || RatePolicy.PERCENT.equals(p.type()),
          at + "type",
          "must be instances or percent, was " + p.type());
      e.check(p.value() > 0, at + "value", "must be above 0, was " + p.value());
      e.check(
          p.periodSeconds() >= 1 && p.periodSeconds() <= 1800,
          at + "periodSeconds",
          "must be between 1 and 1800, was " + p.periodSeconds());
    }
  }

  static void window(
      ScheduleWindow w, String prefix, AutoscalePolicy p, WindowClock clock, Errors e) {
    cron(w.start(), prefix + "start", clock, e);
    cron(w.end(), prefix + "end", clock, e);
    try {
      ZoneId.of(w.timezone() == null ? "UTC" : w.timezone());
    } catch (DateTimeException ex) {
      e.add(
          prefix + "timezone",
          "is not a time zone: '" + w.timezone() + "' (use a name such as Europe/Berlin or UTC)");
    }
    e.check(
        w.floor() != null || w.ceiling() != null,
        prefix + "floor",
        "a window sets a floor, a ceiling or both");
    if (w.floor() != null) {
      e.check(
          w.floor() >= p.min() && w.floor() <= p.max(),
          prefix + "floor",
          "must be between min (" + p.min() + ") and max (" + p.max() + "), was " + w.floor());
    }
    if (w.ceiling() != null) {
      e.check(
          w.ceiling() >= p.min() && w.ceiling() <= p.max(),
          prefix + "ceiling",
          "must be between min (" + p.min() + ") and max (" + p.max() + "), was " + w.ceiling());
    }
  }

  private static void cron(String cron, String field, WindowClock clock, Errors e) {
    if (cron == null || cron.isBlank()) {
      e.add(field, "is required: a cron expression of five fields, e.g. '0 8 * * 1-5'");
      return;
    }
    String error = clock.cronError(cron);
    if (error != null) {
      e.add(field, error);
    }
  }
}
