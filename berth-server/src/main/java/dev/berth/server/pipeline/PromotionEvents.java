package dev.berth.server.pipeline;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventType;
import dev.berth.server.event.EventService;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * A promotion's events: kind {@code pipeline}, name the pipeline, grouped under the target app (so
 * they show among its events, for its team).
 */
@Component
public class PromotionEvents {
  private final EventService events;
  private final Clock clock;

  public PromotionEvents(EventService events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  void normal(String cluster, Promotion p, String reason) {
    emit(EventType.NORMAL, cluster, p, reason, p.message());
  }

  void warning(String cluster, Promotion p, String reason, String message) {
    emit(EventType.WARNING, cluster, p, reason, message);
  }

  private void emit(EventType type, String cluster, Promotion p, String reason, String message) {
    String text = "promotion " + p.id() + " " + describe(p) + ": " + message;
    events.emit(
        new Event(
            0, clock.instant(), cluster, "pipeline", p.pipeline(), p.toApp(), type, reason, text));
  }

  static String describe(Promotion p) {
    return p.from() + " → " + p.to() + ": " + p.image() + " (" + p.state() + ")";
  }
}
