package dev.berth.core.task;

import java.time.Instant;
import java.util.Optional;

/**
 * Persistent fire times of tasks with an {@code at} or {@code cron} trigger; implemented with
 * db-scheduler by the server. Exactly one fire time is stored per task; each fire computes the
 * next.
 */
public interface TaskScheduling {
  /** Stores (or replaces) the next fire time of a task. */
  void schedule(String task, Instant fireAt);

  /** Forgets the task's fire time. Idempotent. */
  void unschedule(String task);

  /** The next fire time after {@code after} for a cron trigger, empty when there is none. */
  Optional<Instant> nextFire(Trigger trigger, Instant after);

  /** Null when the cron expression is valid, else what is wrong with it. */
  String cronError(String cron);
}
