package dev.berth.server.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.alert.Alert;
import dev.berth.core.alert.Notification;
import dev.berth.core.alert.NotificationPlan;
import dev.berth.core.alert.Receiver;
import dev.berth.core.alert.Silence;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns alerts into messages: for each receiver, {@link NotificationPlan} decides what is due
 * (grouping by rule, repeat interval, silences); each message goes into the outbox together with
 * the marks of what the receiver has been sent (one transaction), then to the receiver's queue.
 */
final class Notifications {
  private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

  private final JdbcAlertConfigStore config;
  private final JdbcAlertStore store;
  private final DeliveryQueues queues;
  private final ObjectMapper json;

  Notifications(
      JdbcAlertConfigStore config, JdbcAlertStore store, DeliveryQueues queues, ObjectMapper json) {
    this.config = config;
    this.store = store;
    this.queues = queues;
    this.json = json;
  }

  /** Queues every message due at {@code now}. Never throws. */
  void dispatch(Instant now) {
    try {
      queues.retryStalled();
      List<Alert> alerts = store.toNotify();
      if (alerts.isEmpty()) {
        return;
      }
      List<Silence> silences = config.silences();
      for (Receiver r : config.receivers()) {
        for (Notification n :
            NotificationPlan.decide(r, alerts, store.sent(r.name()), silences, now)) {
          String payload = json.writeValueAsString(NotificationJson.of(n));
          long id =
              store.enqueue(
                  r.name(), n.group(), payload, NotificationPlan.afterSending(n, now), now);
          queues.submit(r.name(), id);
        }
      }
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("alert notifications failed; trying again at the next interval", e);
    }
  }

  /** Queues the outbox's unsent messages again (after a restart). */
  void resume() {
    for (JdbcAlertStore.Delivery d : store.queued()) {
      queues.submit(d.receiver(), d.id());
    }
  }
}
