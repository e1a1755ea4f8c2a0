package dev.berth.core.alert;

import dev.berth.core.support.Errors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link RuleRequest} field by field and builds the rule: the metric (and {@code per})
 * must be one Berth knows, {@code for} and {@code window} non-negative durations, {@code threshold}
 * a number, labels Prometheus label names. Every wrong field is reported at once.
 */
public final class RuleValidator {
  static final Duration MAX_FOR = Duration.ofDays(7);
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private final Set<String> knownMetrics;

  /**
   * @param knownMetrics the metric names a rule may name (Berth's own and its collectors')
   */
  public RuleValidator(Set<String> knownMetrics) {
    this.knownMetrics = Set.copyOf(knownMetrics);
  }

  /**
   * The checked rule, or a {@link dev.berth.core.support.ValidationException} naming each field.
   */
  public AlertRule validate(RuleRequest r, boolean builtIn) {
    Errors errors = new Errors();
    errors.dnsLabel(r.name(), "name", 63);
    boolean events = r.events() != null && !r.events().isEmpty();
    if (events && r.metric() != null) {
      errors.add("events", "a rule watches either a metric or events, not both: remove one");
    }
    if (!events) {
      metric(r.metric(), "metric", true, errors);
      metric(r.per(), "per", false, errors);
    } else if (r.events().stream().anyMatch(e -> e == null || e.isBlank())) {
      errors.add("events", "must be event reasons such as Evicted or OOMKilled, without blanks");
    }
    Condition.Function function = Condition.Function.VALUE;
    if (r.function() != null) {
      function =
          switch (r.function()) {
            case "value" -> Condition.Function.VALUE;
            case "increase" -> Condition.Function.INCREASE;
            default -> {
              errors.add("function", "must be value or increase, was '" + r.function() + "'");
              yield null;
            }
          };
    }
    Duration window = duration(r.window(), "window", errors);
    if ((events || function == Condition.Function.INCREASE)
        && (window == null || window.isZero())) {
      errors.add("window", "is required for increase and event rules, e.g. 10m");
    }
    Condition.Op op = r.op() == null ? Condition.Op.GT : Condition.Op.parse(r.op());
    if (op == null) {
      errors.add("op", "must be one of >, >=, <, <=, ==, !=, was '" + r.op() + "'");
    }
    double threshold = 0;
    if (!events) {
      if (r.threshold() == null) {
        errors.add("threshold", "is required: the number the value is compared with, e.g. 0.8");
      } else if (!(r.threshold() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        errors.add(
            "threshold",
            "must be a number (e.g. 0.8 for 80 % of a ratio), was " + describe(r.threshold()));
      } else {
        threshold = n.doubleValue();
      }
    }
    Duration forDuration = duration(r.forDuration(), "for", errors);
    if (forDuration != null && forDuration.compareTo(MAX_FOR) > 0) {
      errors.add("for", "must be at most 7d");
    }
    Severity severity = r.severity() == null ? Severity.WARNING : Severity.parse(r.severity());
    if (severity == null) {
      errors.add("severity", "must be info, warning or critical, was '" + r.severity() + "'");
    }
    labels(r.labels(), "labels", errors);
    labels(r.match(), "match", errors);
    if (r.summary() != null && r.summary().length() > 500) {
      errors.add("summary", "must be at most 500 characters");
    }
    errors.throwIfAny();
    Condition condition =
        events
            ? new Condition(null, null, null, window, Condition.Op.GT, 0, r.events(), r.match())
            : new Condition(
                r.metric(), r.per(), function, window, op, threshold, List.of(), r.match());
    return new AlertRule(
        r.name(),
        r.team(),
        condition,
        forDuration,
        severity,
        r.labels(),
        r.summary(),
        r.enabled() == null || r.enabled(),
        builtIn);
  }

  private void metric(String metric, String field, boolean required, Errors errors) {
    if (metric == null || metric.isBlank()) {
      if (required) {
        errors.add(field, "is required: a metric name such as berth_node_pids (or give events)");
      }
    } else if (!knownMetrics.contains(metric)) {
      errors.add(
          field,
          "is not a metric Berth knows: '"
              + metric
              + "'; GET /api/v1/alert-rules/metrics lists the names");
    }
  }

  private static Duration duration(String text, String field, Errors errors) {
    if (text == null || text.isBlank()) {
      return Duration.ZERO;
    }
    try {
      Duration d = Durations.parse(text);
      if (d.isNegative()) {
        errors.add(field, "must not be negative, was " + text);
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      errors.add(field, e.getMessage());
      return null;
    }
  }

  private static void labels(Map<String, String> labels, String field, Errors errors) {
    if (labels == null) {
      return;
    }
    labels.forEach(
        (k, v) -> {
          if (k == null || !LABEL.matcher(k).matches()) {
            errors.add(field + "." + k, "must be a label name: letters, digits and '_'");
          } else if (v == null || v.length() > 200) {
            errors.add(field + "." + k, "must be a text of at most 200 characters");
          }
        });
  }

  private static String describe(Object value) {
    return value instanceof String s ? "the text '" + s + "'" : String.valueOf(value);
  }
}
