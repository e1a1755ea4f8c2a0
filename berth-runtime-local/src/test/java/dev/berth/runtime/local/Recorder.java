package dev.berth.runtime.local;

import dev.berth.core.event.EventType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link SupervisorListener} that keeps what it is told, for the supervisors' unit tests. */
final class Recorder<T> implements SupervisorListener<T> {
  record Said(EventType type, String reason, String message) {}

  final List<T> changes = new CopyOnWriteArrayList<>();
  final List<Said> events = new CopyOnWriteArrayList<>();
  volatile boolean gone;

  @Override
  public void changed(T status) {
    changes.add(status);
  }

  @Override
  public void event(EventType type, String reason, String message) {
    events.add(new Said(type, reason, message));
  }

  @Override
  public void gone() {
    gone = true;
  }

  List<String> reasons() {
    return events.stream().map(Said::reason).toList();
  }

  Said last(String reason) {
    return events.stream().filter(e -> e.reason().equals(reason)).reduce((a, b) -> b).orElseThrow();
  }
}
