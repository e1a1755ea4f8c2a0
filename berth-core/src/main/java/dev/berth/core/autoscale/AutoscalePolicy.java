package dev.berth.core.autoscale;

import dev.berth.core.app.AppValidator;
import dev.berth.core.support.Errors;
import java.util.List;

/**
 * An app's autoscaling policy: the count stays within {@code min} and {@code max}, follows the
 * {@code metrics} (the highest count any of them asks for wins), is raised or capped by {@code
 * schedules}, and moves as {@code scaleUp}/{@code scaleDown} allow. {@code tolerance} (a fraction,
 * default 0.1) is how far a metric may be off its target before the count changes; {@code
 * cooldownSeconds} (default 60) is the least time between a change of count and the next decrease.
 * In {@code dryRun} decisions are recorded but the count is left alone. Fields left out take their
 * defaults in the compact constructor, so a stored policy always shows every value in force.
 */
public record AutoscalePolicy(
    int min,
    int max,
    List<MetricTarget> metrics,
    ScalingRules scaleUp,
    ScalingRules scaleDown,
    Double tolerance,
    Integer cooldownSeconds,
    List<ScheduleWindow> schedules,
    boolean dryRun) {
  public static final double DEFAULT_TOLERANCE = 0.1;
  public static final int DEFAULT_COOLDOWN_SECONDS = 60;

  public AutoscalePolicy {
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
    schedules = schedules == null ? List.of() : List.copyOf(schedules);
    scaleUp = (scaleUp == null ? ScalingRules.UP_DEFAULT : scaleUp.or(ScalingRules.UP_DEFAULT));
    scaleDown =
        (scaleDown == null ? ScalingRules.DOWN_DEFAULT : scaleDown.or(ScalingRules.DOWN_DEFAULT));
    tolerance = tolerance == null ? DEFAULT_TOLERANCE : tolerance;
    cooldownSeconds = cooldownSeconds == null ? DEFAULT_COOLDOWN_SECONDS : cooldownSeconds;
  }

  /**
   * Every problem of this policy, each naming its field ({@code min}, {@code
   * metrics[0].targetPercent}, {@code schedules[1].timezone}, ...).
   *
   * @param guaranteedCpu the app's guaranteed CPU: a cpu target needs one
   */
  public Errors problems(double guaranteedCpu, WindowClock clock) {
    Errors e = new Errors();
    int most = AppValidator.MAX_INSTANCES;
    e.check(min >= 0 && min <= most, "min", "must be between 0 and " + most + ", was " + min);
    e.check(max >= 1 && max <= most, "max", "must be between 1 and " + most + ", was " + max);
    e.check(min <= max, "min", "must not be above max (" + max + "), was " + min);
    e.check(
        !metrics.isEmpty() || !schedules.isEmpty(),
        "metrics",
        "name at least one metric (e.g. {\"type\":\"cpu\",\"targetPercent\":50}) or one schedule");
    e.check(
        metrics.isEmpty() || min >= 1,
        "min",
        "must be at least 1 when metrics are followed: no instance, no measurement");
    for (int i = 0; i < metrics.size(); i++) {
      MetricProblems.check(metrics.get(i), "metrics[" + i + "].", guaranteedCpu, e);
    }
    e.check(
        tolerance >= 0 && tolerance < 1,
        "tolerance",
        "must be a fraction from 0 up to (not including) 1, e.g. 0.1 for 10 %, was " + tolerance);
    e.check(
        cooldownSeconds >= 0 && cooldownSeconds <= 86_400,
        "cooldownSeconds",
        "must be between 0 and 86400, was " + cooldownSeconds);
    MetricProblems.rules(scaleUp, "scaleUp.", e);
    MetricProblems.rules(scaleDown, "scaleDown.", e);
    for (int i = 0; i < schedules.size(); i++) {
      MetricProblems.window(schedules.get(i), "schedules[" + i + "].", this, clock, e);
    }
    return e;
  }
}
