package dev.berth.core.autoscale;

import java.util.List;

/**
 * What one metric measured for an app: {@code value} in the target's unit, averaged over {@code
 * counted} instances, or null with {@code missing} saying why there is no value (source down, an
 * instance without samples yet). {@code leftOut} names instances not counted (a release's bastion
 * or an instance being replaced) with the reason.
 */
public record Reading(
    MetricTarget target, Double value, int counted, List<String> leftOut, String missing) {
  public Reading {
    leftOut = leftOut == null ? List.of() : List.copyOf(leftOut);
  }

  public static Reading of(MetricTarget target, double value, int counted, List<String> leftOut) {
    return new Reading(target, value, counted, leftOut, null);
  }

  public static Reading missing(MetricTarget target, String why) {
    return new Reading(target, null, 0, List.of(), why);
  }

  public boolean present() {
    return value != null;
  }
}
