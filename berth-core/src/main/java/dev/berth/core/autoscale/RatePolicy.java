package dev.berth.core.autoscale;

/**
 * A rate limit of one direction, as the HPA's scaling policies: within any {@code periodSeconds}
 * the count may change by at most {@code value} instances ({@code instances}) or {@code value}
 * percent of the count at the period's start ({@code percent}).
 */
public record RatePolicy(String type, int value, int periodSeconds) {
  public static final String INSTANCES = "instances";
  public static final String PERCENT = "percent";
}
