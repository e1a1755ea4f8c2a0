package dev.berth.runtime.local;

import dev.berth.core.event.EventType;

/**
 * Where a supervisor reports: every change of its container's status, the events it emits, and (for
 * an instance) that it is gone. Called on the supervisor's mailbox thread (status changes from
 * probes also on a probe thread); implementations return quickly and never throw.
 *
 * @param <T> the status reported: {@link dev.berth.core.runtime.Instance} or {@link
 *     dev.berth.core.runtime.RunStatus}
 */
interface SupervisorListener<T> {
  void changed(T status);

  void event(EventType type, String reason, String message);

  /** The instance was removed and its supervisor is done; not called for runs. */
  default void gone() {}
}
