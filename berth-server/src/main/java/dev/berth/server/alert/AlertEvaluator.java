package dev.berth.server.alert;

import dev.berth.core.alert.Alert;
import dev.berth.core.alert.AlertRule;
import dev.berth.core.alert.AlertTransitions;
import dev.berth.core.alert.ConditionReader;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.metrics.MetricsUnavailableException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert controller: each pass reads every enabled rule's condition, moves its alerts with
 * {@link AlertTransitions} (pending, firing, resolved), stores them, emits a Warning event when one
 * fires and a Normal one when it resolves, and hands the receivers' messages to {@link
 * Notifications}. All state is in the database, so a pass after a restart carries on where the last
 * one stopped (a pending alert keeps its start, a firing one its unsent "resolved"). A rule whose
 * metrics cannot be read keeps its alerts as they are; an alert of a deleted or disabled rule
 * resolves. Passes run one at a time.
 */
final class AlertEvaluator {
  private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);
  private final JdbcAlertConfigStore config;
  private final JdbcAlertStore store;
  private final ConditionReader reader;
  private final EventSink events;
  private final Notifications notifications;
  private final InstantSource clock;
  private final Set<String> unavailable = new HashSet<>();

  AlertEvaluator(
      JdbcAlertConfigStore config,
      JdbcAlertStore store,
      ConditionReader reader,
      EventSink events,
      Notifications notifications,
      InstantSource clock) {
    this.config = config;
    this.store = store;
    this.reader = reader;
    this.events = events;
    this.notifications = notifications;
    this.clock = clock;
  }

  /** One pass over every rule, then the notifications it calls for. Never throws. */
  synchronized void evaluate() {
    Instant now = clock.instant();
    try {
      Map<String, List<Alert>> open = new HashMap<>();
      store.open().forEach(a -> open.computeIfAbsent(a.rule(), k -> new ArrayList<>()).add(a));
      for (JdbcAlertConfigStore.StoredRule stored : config.rules()) {
        AlertRule rule = stored.rule();
        List<Alert> mine = open.getOrDefault(rule.name(), List.of());
        open.remove(rule.name());
        if (!rule.enabled()) {
          apply(AlertTransitions.evaluate(rule, mine, Map.of(), now), now);
          continue;
        }
        try {
          Map<Map<String, String>, Double> active = reader.active(rule.condition(), now);
          if (unavailable.remove(rule.name())) {
            LOG.info("alert rule {} can read its metrics again", rule.name());
          }
          apply(AlertTransitions.evaluate(rule, mine, active, now), now);
        } catch (MetricsUnavailableException e) {
          if (unavailable.add(rule.name())) {
            LOG.warn(
                "alert rule {} cannot read its metrics ({}); its alerts stay as they are until"
                    + " they can be read",
                rule.name(),
                e.getMessage());
          }
        }
      }
      open.values().forEach(orphans -> orphans.forEach(a -> resolveOrphan(a, now)));
    } catch (RuntimeException e) {
      LOG.warn("alert evaluation failed; trying again at the next interval", e);
    }
    notifications.dispatch(now);
  }

  private void apply(AlertTransitions.Step step, Instant now) {
    step.dropped().forEach(a -> store.delete(a.id()));
    for (Alert a : step.changed()) {
      Alert saved = store.save(a);
      if (step.fired().contains(a)) {
        events.emit(event(saved, now, true));
      } else if (step.resolved().contains(a)) {
        events.emit(event(saved, now, false));
      }
    }
  }

  private void resolveOrphan(Alert a, Instant now) {
    if (a.state() == Alert.State.PENDING) {
      store.delete(a.id());
    } else {
      Alert r = store.save(a.with(Alert.State.RESOLVED, a.value(), a.firedAt(), now));
      events.emit(event(r, now, false));
    }
  }

  private static Event event(Alert a, Instant now, boolean fired) {
    String cluster = a.labels().getOrDefault("cluster", "local");
    String name = a.rule() + "-" + a.id();
    String app = a.labels().get("app");
    return fired
        ? Event.warning(now, cluster, "alert", name, app, "AlertFiring", a.summary())
        : Event.normal(now, cluster, "alert", name, app, "AlertResolved", a.summary());
  }
}
