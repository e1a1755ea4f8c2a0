package dev.berth.core.event;

/** Where events go: stored and fanned out to live subscribers. Implementations never throw. */
@FunctionalInterface
public interface EventSink {
  void emit(Event event);
}
