package dev.berth.core.autoscale;

import java.util.List;

/**
 * How one direction (up or down) moves, as the HPA's {@code behavior.scaleUp/scaleDown}: {@code
 * stabilizationSeconds} (up: the lowest recommendation of that window is followed; down: the
 * highest), rate {@code policies}, and {@code selectPolicy}: {@code max} (the policy allowing the
 * largest change, the default), {@code min}, or {@code disabled} (never move in this direction).
 */
public record ScalingRules(
    Integer stabilizationSeconds, List<RatePolicy> policies, String selectPolicy) {
  public static final String MAX = "max";
  public static final String MIN = "min";
  public static final String DISABLED = "disabled";

  /** The HPA's default for scaling up: no window, +100 % or +4 instances per 15 s. */
  public static final ScalingRules UP_DEFAULT =
      new ScalingRules(
          0,
          List.of(
              new RatePolicy(RatePolicy.PERCENT, 100, 15),
              new RatePolicy(RatePolicy.INSTANCES, 4, 15)),
          MAX);

  /** The HPA's default for scaling down: a 300 s window, -100 % per 15 s. */
  public static final ScalingRules DOWN_DEFAULT =
      new ScalingRules(300, List.of(new RatePolicy(RatePolicy.PERCENT, 100, 15)), MAX);

  /** These rules with every field left out taken from {@code defaults}. */
  public ScalingRules or(ScalingRules defaults) {
    return new ScalingRules(
        stabilizationSeconds == null ? defaults.stabilizationSeconds : stabilizationSeconds,
        policies == null || policies.isEmpty() ? defaults.policies : List.copyOf(policies),
        selectPolicy == null ? defaults.selectPolicy : selectPolicy);
  }

  public int stabilization() {
    return stabilizationSeconds == null ? 0 : stabilizationSeconds;
  }

  public int longestPeriod() {
    return policies == null
        ? 0
        : policies.stream().mapToInt(RatePolicy::periodSeconds).max().orElse(0);
  }
}
