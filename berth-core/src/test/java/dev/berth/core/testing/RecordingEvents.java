package dev.berth.core.testing;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.event.EventStore;
import dev.berth.core.event.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Events in memory: an {@link EventSink} for services and controllers and an {@link EventStore}
 * with the JDBC store's query rules (ids in order, newest first, {@code kind/name}, {@code
 * app/<name>} with its instances, or a bare name). Thread-safe.
 */
public final class RecordingEvents implements EventSink, EventStore {
  private final List<Event> events = new ArrayList<>();

  @Override
  public void emit(Event event) {
    append(event);
  }

  @Override
  public synchronized Event append(Event event) {
    Event stored = event.withId(events.size() + 1L);
    events.add(stored);
    return stored;
  }

  @Override
  public synchronized List<Event> query(EventQuery q) {
    int limit = q.limit() <= 0 ? 100 : q.limit();
    return events.stream()
        .filter(e -> matches(e, q.object()))
        .filter(e -> q.type() == null || e.type() == q.type())
        .filter(e -> q.since() == null || !e.time().isBefore(q.since()))
        .filter(e -> q.beforeId() <= 0 || e.id() < q.beforeId())
        .sorted(Comparator.comparingLong(Event::id).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized int deleteOlderThan(Instant cutoff) {
    int before = events.size();
    events.removeIf(e -> e.time().isBefore(cutoff));
    return before - events.size();
  }

  /** Every event in the order emitted. */
  public synchronized List<Event> all() {
    return List.copyOf(events);
  }

  /** The reasons of every event about {@code object} ({@code kind/name}), in order. */
  public synchronized List<String> reasons(String object) {
    return events.stream().filter(e -> matches(e, object)).map(Event::reason).toList();
  }

  /** The reasons of every warning, in order. */
  public synchronized List<String> warnings() {
    return events.stream().filter(e -> e.type() == EventType.WARNING).map(Event::reason).toList();
  }

  private static boolean matches(Event e, String object) {
    if (object == null || object.isBlank()) {
      return true;
    }
    int slash = object.indexOf('/');
    if (slash < 0) {
      return object.equals(e.name()) || object.equals(e.app());
    }
    String kind = object.substring(0, slash);
    String name = object.substring(slash + 1);
    if (kind.equals("app")) {
      return (e.kind().equals("app") && e.name().equals(name)) || name.equals(e.app());
    }
    return e.kind().equals(kind) && e.name().equals(name);
  }
}
