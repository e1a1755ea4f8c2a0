package dev.berth.core.autoscale;

import dev.berth.core.autoscale.AutoscaleState.Change;
import java.time.Instant;
import java.util.List;

/**
 * The HPA's scaling policies: per policy, the count at the start of its period (now less what the
 * autoscaler changed within it) plus (up) or minus (down) what the policy allows; {@code max}
 * selects the policy allowing the largest change, {@code min} the smallest.
 */
final class RateLimits {
  private RateLimits() {}

  static int limit(ScalingRules rules, List<Change> changes, int current, boolean up, Instant now) {
    Integer chosen = null;
    for (RatePolicy p : rules.policies()) {
      Instant from = now.minusSeconds(p.periodSeconds());
      int moved = 0;
      for (Change c : changes) {
        if (c.at().isAfter(from)) {
          int delta = c.to() - c.from();
          if (up && delta > 0) {
            moved += delta;
          } else if (!up && delta < 0) {
            moved -= delta;
          }
        }
      }
      int start = up ? current - moved : current + moved;
      int limit;
      if (up) {
        limit =
            RatePolicy.PERCENT.equals(p.type())
                ? (int) Math.ceil(start * (1 + p.value() / 100.0))
                : start + p.value();
        limit = Math.max(limit, current); // never a decrease on the way up
        if (start == 0) {
          limit = Math.max(limit, start + 1);
        }
      } else {
        limit =
            RatePolicy.PERCENT.equals(p.type())
                ? (int) Math.floor(start * (1 - p.value() / 100.0))
                : start - p.value();
        limit = Math.min(limit, current);
      }
      boolean wider = up == ScalingRules.MAX.equals(rules.selectPolicy());
      if (chosen == null || (wider ? limit > chosen : limit < chosen)) {
        chosen = limit;
      }
    }
    return chosen == null ? (up ? Integer.MAX_VALUE : 0) : chosen;
  }
}
