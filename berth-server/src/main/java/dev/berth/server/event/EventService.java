package dev.berth.server.event;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.event.EventStore;
import dev.berth.core.event.EventStore.EventQuery;
import dev.berth.core.event.EventType;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The event centre: stores every event and streams it to live subscribers (server-sent events). A
 * slow subscriber gets its own bounded queue and is dropped when it overflows; emitting never
 * blocks and never throws.
 */
@Service
public class EventService implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(EventService.class);
  private static final int SUBSCRIBER_QUEUE = 1000;
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final EventStore store;
  private final Clock clock;
  private final Duration retention;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  public EventService(
      EventStore store, Clock clock, dev.berth.server.config.BerthProperties properties) {
    this.store = store;
    this.clock = clock;
    this.retention = properties.eventRetention();
  }

  @Override
  public void emit(Event event) {
    Event stored;
    try {
      stored = store.append(event);
    } catch (RuntimeException e) {
      LOG.warn(
          "could not store event {} {}/{}: {}; streaming it anyway",
          event.reason(),
          event.kind(),
          event.name(),
          e.getMessage());
      stored = event;
    }
    if (event.type() == EventType.WARNING) {
      LOG.warn("event {} {}/{}: {}", event.reason(), event.kind(), event.name(), event.message());
    } else {
      LOG.info("event {} {}/{}: {}", event.reason(), event.kind(), event.name(), event.message());
    }
    for (Subscriber s : subscribers) {
      if (s.filter.test(stored) && !s.queue.offer(stored)) {
        LOG.warn("event subscriber too slow ({} queued); closing its stream", SUBSCRIBER_QUEUE);
        s.emitter.complete();
        subscribers.remove(s);
      }
    }
  }

  public List<Event> query(EventQuery query) {
    return store.query(query);
  }

  /**
   * A new live stream of events matching {@code filter}, starting after {@code lastEventId} when >
   * 0.
   */
  public SseEmitter subscribe(Predicate<Event> filter, long lastEventId) {
    SseEmitter emitter = new SseEmitter(0L);
    Subscriber s = new Subscriber(emitter, filter, new ArrayBlockingQueue<>(SUBSCRIBER_QUEUE));
    subscribers.add(s);
    emitter.onCompletion(() -> subscribers.remove(s));
    emitter.onTimeout(() -> subscribers.remove(s));
    emitter.onError(e -> subscribers.remove(s));
    Thread.ofVirtual().name("event-stream").start(() -> pump(s, lastEventId));
    return emitter;
  }

  private void pump(Subscriber s, long lastEventId) {
    try {
      s.emitter.send(SseEmitter.event().comment("berth events"));
      if (lastEventId > 0) {
        List<Event> missed = store.query(new EventQuery(null, null, null, 0, 1000)).reversed();
        for (Event e : missed) {
          if (e.id() > lastEventId && s.filter.test(e)) {
            send(s.emitter, e);
          }
        }
      }
      while (subscribers.contains(s)) {
        Event e = s.queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
          s.emitter.send(SseEmitter.event().comment("heartbeat"));
        } else {
          send(s.emitter, e);
        }
      }
    } catch (IOException | IllegalStateException e) {
      subscribers.remove(s);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      subscribers.remove(s);
    }
  }

  private static void send(SseEmitter emitter, Event e) throws IOException {
    emitter.send(
        SseEmitter.event()
            .id(Long.toString(e.id()))
            .name("event")
            .data(EventJson.of(e), MediaType.APPLICATION_JSON));
  }

  /**
   * Events older than the retention ({@code berth.event-retention}, 7 days by default) go; hourly
   * from a minute after the start (scheduled by {@code CoreConfig}).
   */
  public void sweep() {
    try {
      int n = store.deleteOlderThan(clock.instant().minus(retention));
      if (n > 0) {
        LOG.info("removed {} events older than {}", n, retention);
      }
    } catch (RuntimeException e) {
      LOG.warn("event retention sweep failed, next try in an hour: {}", e.getMessage());
    }
  }

  public int subscriberCount() {
    return subscribers.size();
  }

  private record Subscriber(
      SseEmitter emitter, Predicate<Event> filter, BlockingQueue<Event> queue) {}
}
