package dev.berth.core.alert;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One alert: a rule's condition held for one series (or event object), identified by the rule and
 * its labels ({@link #fingerprint}). {@code pending} until the rule's {@code for} has passed,
 * {@code firing} until the condition clears, then {@code resolved} for good (a new occurrence is a
 * new alert). {@code labels} hold the series' labels plus {@code alertname}, {@code severity} and
 * the rule's labels. {@code id} is 0 until stored.
 */
public record Alert(
    long id,
    String rule,
    String fingerprint,
    Map<String, String> labels,
    String team,
    Severity severity,
    State state,
    double value,
    String summary,
    Instant activeSince,
    Instant firedAt,
    Instant resolvedAt) {
  public Alert {
    labels = Map.copyOf(labels);
  }

  /** Where an alert is in its life. */
  public enum State {
    PENDING,
    FIRING,
    RESOLVED;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The stable identity of a rule's alert for one label set. */
  public static String fingerprint(String rule, Map<String, String> labels) {
    StringBuilder b = new StringBuilder(rule);
    new TreeMap<>(labels).forEach((k, v) -> b.append('|').append(k).append('=').append(v));
    return b.toString();
  }

  public Alert with(State newState, double newValue, Instant fired, Instant resolved) {
    return new Alert(
        id,
        rule,
        fingerprint,
        labels,
        team,
        severity,
        newState,
        newValue,
        summary,
        activeSince,
        fired,
        resolved);
  }

  public Alert withId(long newId) {
    return new Alert(
        newId,
        rule,
        fingerprint,
        labels,
        team,
        severity,
        state,
        value,
        summary,
        activeSince,
        firedAt,
        resolvedAt);
  }
}
