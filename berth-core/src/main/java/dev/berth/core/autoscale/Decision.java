package dev.berth.core.autoscale;

import java.time.Instant;
import java.util.List;

/**
 * One evaluation, explained: the count before ({@code current}) and the count decided ({@code
 * desired}), what the metrics asked for ({@code metricDesired}, null when no metric could be read),
 * the {@code rule} that had the last word ({@link Rule}), a sentence saying why ({@code reason}),
 * and the {@code inputs} it looked at, one line each. {@code dryRun}: recorded only, the count was
 * left.
 */
public record Decision(
    Instant at,
    int current,
    int desired,
    Integer metricDesired,
    String rule,
    String reason,
    List<String> inputs,
    boolean dryRun) {
  public Decision {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  public boolean changes() {
    return desired != current;
  }

  /** The rules, in the order they are applied; the last one that changed the count wins. */
  public static final class Rule {
    private Rule() {}

    public static final String METRIC = "metric";
    public static final String TOLERANCE = "tolerance";
    public static final String MISSING_DATA = "missing-data";
    public static final String SCHEDULE_FLOOR = "schedule-floor";
    public static final String SCHEDULE_STEP_DOWN = "schedule-step-down";
    public static final String MIN = "min";
    public static final String MAX = "max";
    public static final String SCHEDULE_CEILING = "schedule-ceiling";
    public static final String STABILIZATION = "stabilization";
    public static final String RATE_LIMIT = "rate-limit";
    public static final String COOLDOWN = "cooldown";
    public static final String RELEASE = "release";
  }
}
