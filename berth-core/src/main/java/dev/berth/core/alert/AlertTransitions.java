package dev.berth.core.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, for one rule at one evaluation, how its open alerts move: a newly active series becomes
 * a {@code pending} alert (or {@code firing} at once when {@code for} is 0), a pending one fires
 * once it has been active for {@code for}, a pending one whose condition cleared is dropped, a
 * firing one whose condition cleared is resolved. Pure: the caller reads the readings and stores
 * the result.
 */
public final class AlertTransitions {
  private AlertTransitions() {}

  /**
   * What changed: alerts to store ({@code changed}, new ones with id 0), pending alerts to forget
   * ({@code dropped}), and among the changed ones those that fired or resolved now.
   */
  public record Step(
      List<Alert> changed, List<Alert> dropped, List<Alert> fired, List<Alert> resolved) {
    public boolean isEmpty() {
      return changed.isEmpty() && dropped.isEmpty();
    }
  }

  /**
   * @param open the rule's pending and firing alerts
   * @param active the value of each series (by its labels) for which the condition holds now
   */
  public static Step evaluate(
      AlertRule rule, List<Alert> open, Map<Map<String, String>, Double> active, Instant now) {
    Map<String, Alert> byFingerprint = new HashMap<>();
    open.forEach(a -> byFingerprint.put(a.fingerprint(), a));
    List<Alert> changed = new ArrayList<>();
    List<Alert> dropped = new ArrayList<>();
    List<Alert> fired = new ArrayList<>();
    List<Alert> resolved = new ArrayList<>();
    Map<String, Boolean> seen = new HashMap<>();
    for (Map.Entry<Map<String, String>, Double> e : active.entrySet()) {
      Map<String, String> labels = labels(rule, e.getKey());
      String fp = Alert.fingerprint(rule.name(), labels);
      seen.put(fp, true);
      Alert current = byFingerprint.get(fp);
      double value = e.getValue();
      if (current == null) {
        boolean fireNow = rule.forDuration().isZero();
        Alert a =
            new Alert(
                0,
                rule.name(),
                fp,
                labels,
                rule.team() != null ? rule.team() : e.getKey().get("team"),
                rule.severity(),
                fireNow ? Alert.State.FIRING : Alert.State.PENDING,
                value,
                summary(rule, labels),
                now,
                fireNow ? now : null,
                null);
        changed.add(a);
        if (fireNow) {
          fired.add(a);
        }
      } else if (current.state() == Alert.State.PENDING
          && !now.isBefore(current.activeSince().plus(rule.forDuration()))) {
        Alert a = current.with(Alert.State.FIRING, value, now, null);
        changed.add(a);
        fired.add(a);
      } else if (current.value() != value) {
        changed.add(current.with(current.state(), value, current.firedAt(), null));
      }
    }
    for (Alert a : open) {
      if (seen.containsKey(a.fingerprint())) {
        continue;
      }
      if (a.state() == Alert.State.PENDING) {
        dropped.add(a);
      } else if (a.state() == Alert.State.FIRING) {
        Alert r = a.with(Alert.State.RESOLVED, a.value(), a.firedAt(), now);
        changed.add(r);
        resolved.add(r);
      }
    }
    return new Step(changed, dropped, fired, resolved);
  }

  /** A series' labels plus the rule's labels, {@code alertname} and {@code severity}. */
  static Map<String, String> labels(AlertRule rule, Map<String, String> series) {
    Map<String, String> labels = new LinkedHashMap<>(series);
    labels.putAll(rule.labels());
    labels.put("alertname", rule.name());
    labels.put("severity", rule.severity().toString());
    if (rule.team() != null) {
      labels.put("team", rule.team());
    }
    return labels;
  }

  private static String summary(AlertRule rule, Map<String, String> labels) {
    String where =
        labels.containsKey("instance")
            ? "instance " + labels.get("instance")
            : labels.containsKey("node")
                ? "node " + labels.get("node")
                : labels.containsKey("name") ? labels.get("name") : null;
    String base = rule.summary() != null ? rule.summary() : rule.condition().describe();
    return where == null ? base : base + " (" + where + ")";
  }
}
