package dev.berth.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.alert.Receiver;
import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's messages: one queue per receiver, drained by its own virtual thread while it
 * has work, so a dead webhook or mail server only delays its own messages. Each message gets at
 * most {@code attempts} tries with doubling back-off on the {@link Scheduler}; every try is written
 * to the outbox row (and so shown on the alerts it carries). A message whose sending failed on the
 * database itself (down, closed) stays queued in the outbox and is tried again with the next {@link
 * #retryStalled()}; the receiver's queue goes on with its other messages.
 */
final class DeliveryQueues {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryQueues.class);
  private final JdbcAlertStore store;
  private final Function<String, Optional<Receiver>> receivers;
  private final Function<Receiver, String> openSecret;
  private final Map<Receiver.Type, Notifier> notifiers;
  private final Scheduler scheduler;
  private final ObjectMapper json;
  private final int attempts;
  private final Duration firstBackoff;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final Map<Long, String> stalled = new ConcurrentHashMap<>();

  /** The parts a queue needs. */
  record Parts(
      JdbcAlertStore store,
      Function<String, Optional<Receiver>> receivers,
      Function<Receiver, String> openSecret,
      Map<Receiver.Type, Notifier> notifiers,
      Scheduler scheduler,
      ObjectMapper json) {}

  DeliveryQueues(Parts parts, int attempts, Duration firstBackoff) {
    this.store = parts.store();
    this.receivers = parts.receivers();
    this.openSecret = parts.openSecret();
    this.notifiers = parts.notifiers();
    this.scheduler = parts.scheduler();
    this.json = parts.json();
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
  }

  /** Queues delivery {@code id} for {@code receiver}; returns at once. */
  void submit(String receiver, long id) {
    Lane lane = lanes.computeIfAbsent(receiver, r -> new Lane());
    lane.queue.add(id);
    if (lane.running.compareAndSet(false, true)) {
      Thread.ofVirtual().name("alert-delivery-" + receiver).start(() -> drain(receiver, lane));
    }
  }

  /** Queues again the messages whose sending failed on the database. */
  void retryStalled() {
    for (Map.Entry<Long, String> e : Map.copyOf(stalled).entrySet()) {
      if (stalled.remove(e.getKey(), e.getValue())) {
        submit(e.getValue(), e.getKey());
      }
    }
  }

  private void drain(String receiver, Lane lane) {
    while (true) {
      Long id;
      while ((id = lane.queue.poll()) != null) {
        try {
          deliver(receiver, id);
        } catch (RuntimeException e) {
          stalled.put(id, receiver);
          LOG.warn(
              "alert message {} to {} left queued, tried again later: {}",
              id,
              receiver,
              e.toString());
        }
      }
      lane.running.set(false);
      if (lane.queue.isEmpty() || !lane.running.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void deliver(String receiverName, long id) {
    Optional<JdbcAlertStore.Delivery> found = store.delivery(id);
    if (found.isEmpty() || !found.get().status().equals("queued")) {
      return;
    }
    JdbcAlertStore.Delivery d = found.get();
    Optional<Receiver> receiver = receivers.apply(receiverName);
    if (receiver.isEmpty()) {
      store.recordAttempt(
          id, "failed", d.attempts(), "not sent: the receiver was deleted", scheduler.instant());
      return;
    }
    Receiver r = receiver.get();
    NotificationJson n;
    try {
      n = json.readValue(d.payload(), NotificationJson.class);
    } catch (java.io.IOException e) {
      store.recordAttempt(
          id, "failed", d.attempts(), "not sent: unreadable message", scheduler.instant());
      return;
    }
    String secret = r.secret() == null ? null : openSecret.apply(r);
    Duration backoff = firstBackoff;
    for (int attempt = d.attempts() + 1; attempt <= attempts; attempt++) {
      try {
        String result = notifiers.get(r.type()).send(r, secret, n, d.payload());
        store.recordAttempt(id, "delivered", attempt, result, scheduler.instant());
        return;
      } catch (Notifier.NotifyException e) {
        boolean last = attempt == attempts || !e.retry;
        String result = e.getMessage() + (last ? "" : "; retrying in " + backoff.toSeconds() + "s");
        store.recordAttempt(id, last ? "failed" : "queued", attempt, result, scheduler.instant());
        if (last) {
          LOG.warn(
              "alert message {} to {} given up after {} attempts: {}",
              id,
              receiverName,
              attempt,
              e.getMessage());
          return;
        }
      } catch (RuntimeException e) {
        store.recordAttempt(id, "failed", attempt, "failed: " + e, scheduler.instant());
        LOG.warn("alert message {} to {} failed", id, receiverName, e);
        return;
      }
      try {
        scheduler.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoff = backoff.multipliedBy(2);
    }
  }

  /** One receiver's queue and whether its thread runs. */
  private static final class Lane {
    final Queue<Long> queue = new ConcurrentLinkedQueue<>();
    final AtomicBoolean running = new AtomicBoolean();
  }
}
