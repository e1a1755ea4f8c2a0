package dev.berth.server.event;

import dev.berth.core.event.Event;
import java.time.Instant;

/** An event as the API shows it; {@code object} is {@code kind/name}. */
public record EventJson(
    long id,
    Instant time,
    String cluster,
    String object,
    String app,
    String type,
    String reason,
    String message) {
  public static EventJson of(Event e) {
    return new EventJson(
        e.id(),
        e.time(),
        e.cluster(),
        e.kind() + "/" + e.name(),
        e.app(),
        e.type().toString(),
        e.reason(),
        e.message());
  }
}
