package dev.berth.core.app;

import dev.berth.core.event.EventType;
import java.util.Optional;

/**
 * The app event a change of status deserves, decided from the status before and after one pass of
 * the controller. Pure.
 *
 * <ul>
 *   <li>entering {@code Degraded}: a Warning {@code Degraded} with the reason and the sentence;
 *   <li>leaving {@code Degraded} for {@code Running}: a Normal {@code Recovered};
 *   <li>starting to wait for a stopping instance: a Normal {@code WaitingForStop} that says why the
 *       app is not ready yet.
 * </ul>
 */
final class StatusEvents {
  private StatusEvents() {}

  record Emitted(EventType type, String reason, String message) {}

  static Optional<Emitted> between(AppStatus before, AppStatus after) {
    if (after.phase() == AppPhase.DEGRADED && before.phase() != AppPhase.DEGRADED) {
      return Optional.of(
          new Emitted(EventType.WARNING, "Degraded", after.reason() + ": " + after.message()));
    }
    if (before.phase() == AppPhase.DEGRADED && after.phase() == AppPhase.RUNNING) {
      return Optional.of(
          new Emitted(
              EventType.NORMAL, "Recovered", "every instance is ready again: " + after.message()));
    }
    if ("WaitingForStop".equals(after.reason()) && !"WaitingForStop".equals(before.reason())) {
      return Optional.of(new Emitted(EventType.NORMAL, "WaitingForStop", after.message()));
    }
    return Optional.empty();
  }
}
