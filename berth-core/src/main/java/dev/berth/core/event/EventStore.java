package dev.berth.core.event;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Append-only store of events, retained by age. */
public interface EventStore {
  /** Stores the event and returns it with its id. */
  Event append(Event event);

  /**
   * Newest first. {@code object} matches {@code kind/name}, a bare name, or an app (its own events
   * and its instances'); null filters are ignored; {@code beforeId} > 0 pages backwards.
   */
  List<Event> query(EventQuery query);

  /** Deletes events older than {@code cutoff}; returns how many. */
  int deleteOlderThan(Instant cutoff);

  /**
   * A search over events. {@code teams} limits it to events of objects of those teams and events of
   * no team (clusters, nodes); {@code null}: every team.
   */
  record EventQuery(
      String object, EventType type, Instant since, long beforeId, int limit, Set<String> teams) {
    public EventQuery(String object, EventType type, Instant since, long beforeId, int limit) {
      this(object, type, since, beforeId, limit, null);
    }

    /** The same search limited to {@code readable} teams ({@code null}: unchanged). */
    public EventQuery within(Set<String> readable) {
      return new EventQuery(object, type, since, beforeId, limit, readable);
    }
  }
}
