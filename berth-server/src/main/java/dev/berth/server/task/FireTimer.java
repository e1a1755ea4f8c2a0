package dev.berth.server.task;

import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One in-process timer per scheduled task, armed for its next known fire time. When it goes off it
 * only asks db-scheduler to look for due executions now ({@code checkDue}) instead of at its next
 * poll: db-scheduler stays the durable record and the cluster-wide claim, so a fire that another
 * Berth process claims first runs there and nowhere else, and a timer lost with its process costs
 * at most one polling interval. Thread-safe.
 */
public final class FireTimer {
  private final Scheduler scheduler;
  private final Runnable checkDue;
  private final Map<String, Armed> armed = new ConcurrentHashMap<>();

  private record Armed(Instant at, Scheduler.Cancellable handle) {}

  /**
   * @param checkDue makes db-scheduler look for due executions at once; must not block for long
   */
  public FireTimer(Scheduler scheduler, Runnable checkDue) {
    this.scheduler = scheduler;
    this.checkDue = checkDue;
  }

  /** Arms (or re-arms) the task's timer for {@code fireAt}, replacing any earlier one. */
  public void arm(String task, Instant fireAt) {
    armed.compute(
        task,
        (k, old) -> {
          if (old != null) {
            old.handle().cancel();
          }
          Duration delay = Duration.between(scheduler.instant(), fireAt);
          return new Armed(fireAt, scheduler.schedule(delay, () -> due(task, fireAt)));
        });
  }

  /** Forgets the task's timer. Idempotent. */
  public void disarm(String task) {
    Armed old = armed.remove(task);
    if (old != null) {
      old.handle().cancel();
    }
  }

  /** How many tasks have a timer armed. */
  public int armed() {
    return armed.size();
  }

  private void due(String task, Instant fireAt) {
    if (scheduler.instant().isBefore(fireAt)) {
      arm(task, fireAt); // the timer ran ahead of the wall clock db-scheduler compares with
      return;
    }
    armed.computeIfPresent(task, (k, a) -> a.at().equals(fireAt) ? null : a);
    checkDue.run();
  }
}
