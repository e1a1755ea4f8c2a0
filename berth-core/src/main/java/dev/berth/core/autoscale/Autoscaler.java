package dev.berth.core.autoscale;

import dev.berth.core.autoscale.AutoscaleState.Change;
import dev.berth.core.autoscale.AutoscaleState.Recommendation;
import dev.berth.core.autoscale.Decision.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The autoscaler's decision, pure: inputs, policy, remembered state and the time in; a {@link
 * Decision} and the next state out. Order: the recommendation ({@link Recommender}: metrics,
 * schedule floor, min/max, schedule ceiling), then stabilization (up: the lowest recommendation of
 * the up window; down: the highest of the down window), then the direction's rate limits, then the
 * holds on a decrease — the cool-down after the last change, a release in progress, a metric
 * without data. The last rule that changed the count is the decision's rule.
 */
public final class Autoscaler {
  private Autoscaler() {}

  /** A decision and the state to store with it. */
  public record Outcome(Decision decision, AutoscaleState state) {}

  public static Outcome decide(AutoscalePolicy p, AutoscaleState state, Inputs in, Instant now) {
    List<String> explain = new ArrayList<>();
    int current = in.current();
    explain.add("instances now: " + current + " (min " + p.min() + ", max " + p.max() + ")");
    Recommender.Recommendation rec = Recommender.recommend(p, in, now, explain);
    int desired = rec.count();
    String rule = rec.rule();
    String reason = reasonOf(rule, rec, in);

    int up = rec.count();
    int down = rec.count();
    Instant upFrom = now.minusSeconds(p.scaleUp().stabilization());
    Instant downFrom = now.minusSeconds(p.scaleDown().stabilization());
    for (Recommendation r : state.recommendations()) {
      if (r.at().isAfter(upFrom) || r.at().equals(upFrom)) {
        up = Math.min(up, r.count());
      }
      if (r.at().isAfter(downFrom) || r.at().equals(downFrom)) {
        down = Math.max(down, r.count());
      }
    }
    int stabilized = current;
    if (current < up) {
      stabilized = up;
    }
    if (current > down) {
      stabilized = down;
    }
    if (stabilized != desired) {
      rule = Rule.STABILIZATION;
      reason =
          (desired > current ? "scale-up" : "scale-down")
              + " stabilization: the "
              + (desired > current ? "lowest" : "highest")
              + " recommendation of the last "
              + (desired > current ? p.scaleUp() : p.scaleDown()).stabilization()
              + " s was "
              + (desired > current ? up : down)
              + " (this evaluation recommends "
              + desired
              + ")";
      desired = stabilized;
    }

    if (desired != current) {
      ScalingRules rules = desired > current ? p.scaleUp() : p.scaleDown();
      if (ScalingRules.DISABLED.equals(rules.selectPolicy())) {
        reason = (desired > current ? "scaling up" : "scaling down") + " is disabled";
        desired = current;
        rule = Rule.RATE_LIMIT;
      } else {
        int limit = RateLimits.limit(rules, state.changes(), current, desired > current, now);
        if (desired > current ? desired > limit : desired < limit) {
          reason =
              "rate limit: at most "
                  + limit
                  + " within the policies' periods (wanted "
                  + desired
                  + ")";
          desired = limit;
          rule = Rule.RATE_LIMIT;
        }
      }
    }

    if (desired < current) {
      Change last = state.lastChange();
      Instant coolUntil =
          last == null ? null : last.at().plus(Duration.ofSeconds(p.cooldownSeconds()));
      if (in.release() != null) {
        reason = "release " + in.release() + " is in progress: the count does not shrink";
        desired = current;
        rule = Rule.RELEASE;
      } else if (coolUntil != null && now.isBefore(coolUntil)) {
        reason =
            "cool-down: the count changed at "
                + last.at()
                + ", the next decrease comes at "
                + coolUntil
                + " at the earliest (wanted "
                + desired
                + ")";
        desired = current;
        rule = Rule.COOLDOWN;
      } else if (in.readings().stream().anyMatch(r -> !r.present())) {
        reason = "a metric has no data: the count is held, never lowered for lack of data";
        desired = current;
        rule = Rule.MISSING_DATA;
      }
    }
    if (desired == current && rule.equals(Rule.METRIC) && rec.count() == current) {
      reason = "the metrics ask for the current count";
    }

    Duration keepRecs =
        Duration.ofSeconds(Math.max(p.scaleUp().stabilization(), p.scaleDown().stabilization()));
    Duration keepChanges =
        Duration.ofSeconds(Math.max(p.scaleUp().longestPeriod(), p.scaleDown().longestPeriod()));
    boolean acts = desired != current && !p.dryRun();
    AutoscaleState next =
        state.with(
            new Recommendation(now, rec.count()),
            acts ? new Change(now, current, desired) : null,
            now.minus(keepRecs),
            now.minus(keepChanges));
    Decision d =
        new Decision(now, current, desired, rec.metricDesired(), rule, reason, explain, p.dryRun());
    return new Outcome(d, next);
  }

  private static String reasonOf(String rule, Recommender.Recommendation rec, Inputs in) {
    return switch (rule) {
      case Rule.TOLERANCE -> "every metric is within its tolerance of its target";
      case Rule.MISSING_DATA ->
          "no metric could be read: the count is held, never lowered for lack of data";
      case Rule.SCHEDULE_FLOOR -> "a schedule window's floor of " + rec.count() + " is in force";
      case Rule.SCHEDULE_STEP_DOWN ->
          "a schedule window closed: its floor steps down one instance per cool-down, now "
              + rec.count();
      case Rule.SCHEDULE_CEILING -> "a schedule window caps the count at " + rec.count();
      case Rule.MIN -> "the policy's min is " + rec.count();
      case Rule.MAX -> "the policy's max is " + rec.count();
      default ->
          "the metrics ask for "
              + rec.count()
              + (in.current() == rec.count() ? " (the current count)" : "");
    };
  }
}
