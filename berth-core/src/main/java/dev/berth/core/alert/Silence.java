package dev.berth.core.alert;

import java.time.Instant;
import java.util.Map;

/**
 * Mutes notifications of alerts whose labels equal every pair of {@code matchers} between {@code
 * startsAt} and {@code endsAt}. A silenced alert still changes state (it fires, it resolves); only
 * its notifications wait. {@code team} null: a platform silence.
 */
public record Silence(
    long id,
    Map<String, String> matchers,
    String team,
    String comment,
    String createdBy,
    Instant startsAt,
    Instant endsAt) {
  public Silence {
    matchers = Map.copyOf(matchers);
  }

  public boolean activeAt(Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  /** Whether this silence mutes {@code alert} at {@code now}. */
  public boolean mutes(Alert alert, Instant now) {
    return activeAt(now)
        && (team == null || team.equals(alert.team()))
        && matchers.entrySet().stream()
            .allMatch(m -> m.getValue().equals(alert.labels().get(m.getKey())));
  }
}
