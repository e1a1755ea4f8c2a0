package dev.berth.core.release;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import java.time.Instant;

/**
 * A release's events: kind {@code release}, name {@code <app>.<id>}, grouped under the app, so
 * {@code ?object=release/web.3} lists one release's and {@code ?object=web} every event of the app.
 */
final class ReleaseEvents {
  private final EventSink events;

  ReleaseEvents(EventSink events) {
    this.events = events;
  }

  static String name(Release r) {
    return r.app() + "." + r.id();
  }

  void emit(String cluster, Release r, ReleasePlanner.Transition t, Instant now) {
    String message = "release " + r.id() + ": " + t.message();
    events.emit(
        t.warning()
            ? Event.warning(now, cluster, "release", name(r), r.app(), t.reason(), message)
            : Event.normal(now, cluster, "release", name(r), r.app(), t.reason(), message));
  }

  void normal(String cluster, Release r, String reason, String message, Instant now) {
    emit(cluster, r, new ReleasePlanner.Transition(reason, message, false), now);
  }
}
