package dev.berth.server.autoscale;

import dev.berth.core.autoscale.AutoscalePolicy;
import dev.berth.core.autoscale.MetricTarget;
import dev.berth.core.autoscale.ScalingRules;
import dev.berth.core.autoscale.ScheduleWindow;
import dev.berth.core.support.Errors;
import java.util.ArrayList;
import java.util.List;

/**
 * The portal's policy form: the common fields as text (a metric whose target is empty is not
 * followed; one schedule window), read into an {@link AutoscalePolicy}. What is not a number is a
 * reading error naming the field; the rest the policy's own rules check.
 */
public record AutoscaleForm(
    String min,
    String max,
    String cpu,
    String memory,
    String requests,
    String p95,
    String tolerance,
    String upStabilization,
    String downStabilization,
    String cooldown,
    String scheduleStart,
    String scheduleEnd,
    String scheduleTimezone,
    String scheduleFloor,
    String scheduleCeiling,
    Boolean dryRun) {

  static AutoscaleForm of(AutoscalePolicy p) {
    if (p == null) {
      return new AutoscaleForm(
          "1", "3", "50", "", "", "", "10", "0", "300", "60", "", "", "UTC", "", "", false);
    }
    ScheduleWindow w = p.schedules().isEmpty() ? null : p.schedules().getFirst();
    return new AutoscaleForm(
        String.valueOf(p.min()),
        String.valueOf(p.max()),
        target(p, MetricTarget.CPU),
        target(p, MetricTarget.MEMORY),
        target(p, MetricTarget.REQUESTS),
        target(p, MetricTarget.P95),
        text(p.tolerance() * 100),
        String.valueOf(p.scaleUp().stabilization()),
        String.valueOf(p.scaleDown().stabilization()),
        String.valueOf(p.cooldownSeconds()),
        w == null ? "" : w.start(),
        w == null ? "" : w.end(),
        w == null ? "UTC" : w.timezone(),
        w == null || w.floor() == null ? "" : String.valueOf(w.floor()),
        w == null || w.ceiling() == null ? "" : String.valueOf(w.ceiling()),
        p.dryRun());
  }

  /** The policy, keeping the rate policies of {@code previous}; reading errors go to {@code e}. */
  AutoscalePolicy policy(AutoscalePolicy previous, Errors e) {
    List<MetricTarget> metrics = new ArrayList<>();
    add(metrics, MetricTarget.CPU, cpu, "metrics.cpu", e);
    add(metrics, MetricTarget.MEMORY, memory, "metrics.memory", e);
    add(metrics, MetricTarget.REQUESTS, requests, "metrics.requests", e);
    add(metrics, MetricTarget.P95, p95, "metrics.p95", e);
    List<ScheduleWindow> schedules = new ArrayList<>();
    if (!blank(scheduleStart) || !blank(scheduleEnd)) {
      schedules.add(
          new ScheduleWindow(
              "schedule",
              scheduleStart,
              scheduleEnd,
              blank(scheduleTimezone) ? "UTC" : scheduleTimezone.strip(),
              integer(scheduleFloor, "schedules[0].floor", e),
              integer(scheduleCeiling, "schedules[0].ceiling", e)));
    }
    Double tol = number(tolerance, "tolerance", e);
    return new AutoscalePolicy(
        orZero(integer(min, "min", e)),
        orZero(integer(max, "max", e)),
        metrics,
        new ScalingRules(
            integer(upStabilization, "scaleUp.stabilizationSeconds", e),
            previous == null ? null : previous.scaleUp().policies(),
            previous == null ? null : previous.scaleUp().selectPolicy()),
        new ScalingRules(
            integer(downStabilization, "scaleDown.stabilizationSeconds", e),
            previous == null ? null : previous.scaleDown().policies(),
            previous == null ? null : previous.scaleDown().selectPolicy()),
        tol == null ? null : tol / 100,
        integer(cooldown, "cooldownSeconds", e),
        schedules,
        Boolean.TRUE.equals(dryRun));
  }

  private static void add(
      List<MetricTarget> metrics, String type, String value, String field, Errors e) {
    Double v = number(value, field, e);
    if (v != null) {
      boolean percent = MetricTarget.CPU.equals(type) || MetricTarget.MEMORY.equals(type);
      metrics.add(new MetricTarget(type, percent ? v : null, percent ? null : v, null, null));
    }
  }

  private static String target(AutoscalePolicy p, String type) {
    return p.metrics().stream()
        .filter(m -> type.equals(m.type()))
        .findFirst()
        .map(m -> text(m.target()))
        .orElse("");
  }

  private static String text(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static Integer integer(String s, String field, Errors e) {
    if (blank(s)) {
      return null;
    }
    try {
      return Integer.valueOf(s.strip());
    } catch (NumberFormatException x) {
      e.add(field, "must be a whole number, was '" + s + "'");
      return null;
    }
  }

  private static Double number(String s, String field, Errors e) {
    if (blank(s)) {
      return null;
    }
    try {
      return Double.valueOf(s.strip());
    } catch (NumberFormatException x) {
      e.add(field, "must be a number, was '" + s + "'");
      return null;
    }
  }
}
