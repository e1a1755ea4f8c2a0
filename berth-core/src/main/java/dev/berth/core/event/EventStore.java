package dev.berth.core.event;

import java.time.Instant;
import java.util.List;

/** Append-only store of events, retained by age. */
public interface EventStore {
  /** Stores the event and returns it with its id. */
  Event append(Event event);

  /**
   * Newest first. {@code object} matches {@code kind/name}, a bare name, or an app (its own events and
   * its instances'); null filters are ignored; {@code beforeId} > 0 pages backwards.
   */
  List<Event> query(EventQuery query);

  /** Deletes events older than {@code cutoff}; returns how many. */
  int deleteOlderThan(Instant cutoff);

  /** A search over events. */
  record EventQuery(String object, EventType type, Instant since, long beforeId, int limit) {}
}
