package dev.berth.core.alert;

import java.time.Duration;
import java.util.Map;

/**
 * A rule: its alert fires once {@code condition} has held for {@code forDuration}, with {@code
 * severity} and {@code labels} added to the series' own labels. {@code team} null makes it a
 * platform rule (its alerts go to the team in a series' {@code team} label, and to platform
 * receivers). {@code builtIn} rules ship with Berth; they can be changed and disabled, not deleted.
 */
public record AlertRule(
    String name,
    String team,
    Condition condition,
    Duration forDuration,
    Severity severity,
    Map<String, String> labels,
    String summary,
    boolean enabled,
    boolean builtIn) {
  public AlertRule {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public AlertRule withFor(java.time.Duration d) {
    return new AlertRule(name, team, condition, d, severity, labels, summary, enabled, builtIn);
  }

  public AlertRule withEnabled(boolean on) {
    return new AlertRule(
        name, team, condition, forDuration, severity, labels, summary, on, builtIn);
  }
}
