package dev.berth.core.event;

import java.time.Instant;

/**
 * Something that happened to an object, append-only. {@code kind}/{@code name} name the object
 * (e.g. {@code instance}/{@code web-0}, {@code app}/{@code web}); {@code app} groups instance
 * events under their application. {@code id} is 0 until stored.
 */
public record Event(
    long id,
    Instant time,
    String cluster,
    String kind,
    String name,
    String app,
    EventType type,
    String reason,
    String message) {
  public static Event normal(
      Instant time,
      String cluster,
      String kind,
      String name,
      String app,
      String reason,
      String message) {
    return new Event(0, time, cluster, kind, name, app, EventType.NORMAL, reason, message);
  }

  public static Event warning(
      Instant time,
      String cluster,
      String kind,
      String name,
      String app,
      String reason,
      String message) {
    return new Event(0, time, cluster, kind, name, app, EventType.WARNING, reason, message);
  }

  public Event withId(long newId) {
    return new Event(newId, time, cluster, kind, name, app, type, reason, message);
  }
}
