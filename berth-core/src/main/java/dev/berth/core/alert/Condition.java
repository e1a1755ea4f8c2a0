package dev.berth.core.alert;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * When a rule's alert is active. A metric condition compares, per series, either the newest value
 * of {@code metric} (function {@code value}) or its increase over {@code window} (function {@code
 * increase}, for counters such as OOM kills), optionally divided by the series of {@code per} with
 * the same labels (conntrack entries per limit), with {@code threshold} by {@code op}. An event
 * condition ({@code events} not empty, {@code metric} null) is active while an event with one of
 * those reasons happened within {@code window}. {@code match} keeps only series or events whose
 * labels equal every given pair.
 */
public record Condition(
    String metric,
    String per,
    Function function,
    Duration window,
    Op op,
    double threshold,
    List<String> events,
    Map<String, String> match) {

  public Condition {
    events = events == null ? List.of() : List.copyOf(events);
    match = match == null ? Map.of() : Map.copyOf(match);
  }

  /** A metric condition on the newest value. */
  public static Condition value(String metric, String per, Op op, double threshold) {
    return new Condition(
        metric, per, Function.VALUE, Duration.ZERO, op, threshold, List.of(), Map.of());
  }

  /** A metric condition on a counter's increase over {@code window}. */
  public static Condition increase(String metric, Duration window, Op op, double threshold) {
    return new Condition(
        metric, null, Function.INCREASE, window, op, threshold, List.of(), Map.of());
  }

  /** An event condition: an event with one of {@code reasons} within {@code window}. */
  public static Condition events(List<String> reasons, Duration window) {
    return new Condition(null, null, null, window, Op.GT, 0, reasons, Map.of());
  }

  public boolean isEventCondition() {
    return !events.isEmpty();
  }

  /** What is read of a metric. */
  public enum Function {
    VALUE,
    INCREASE;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How a value is compared with the threshold. */
  public enum Op {
    GT(">"),
    GE(">="),
    LT("<"),
    LE("<="),
    EQ("=="),
    NE("!=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** The operator written {@code symbol}, or null. */
    public static Op parse(String symbol) {
      for (Op o : values()) {
        if (o.symbol.equals(symbol)) {
          return o;
        }
      }
      return null;
    }

    public boolean test(double value, double threshold) {
      return switch (this) {
        case GT -> value > threshold;
        case GE -> value >= threshold;
        case LT -> value < threshold;
        case LE -> value <= threshold;
        case EQ -> value == threshold;
        case NE -> value != threshold;
      };
    }

    @Override
    public String toString() {
      return symbol;
    }
  }

  /** The condition in words, e.g. {@code berth_node_pids / berth_node_pid_max > 0.8}. */
  public String describe() {
    if (isEventCondition()) {
      return "an event " + String.join(" or ", events) + " within " + Durations.format(window);
    }
    String lhs =
        function == Function.INCREASE
            ? "increase(" + metric + "[" + Durations.format(window) + "])"
            : metric;
    if (per != null) {
      lhs += " / " + per;
    }
    return lhs + " " + op + " " + Durations.number(threshold);
  }
}
