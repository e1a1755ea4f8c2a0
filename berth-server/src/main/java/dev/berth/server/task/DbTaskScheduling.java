package dev.berth.server.task;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.berth.core.task.TaskScheduling;
import dev.berth.core.task.Trigger;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.scheduling.support.CronExpression;

/**
 * Fire times in db-scheduler's table: one execution per task (instance id = task name) of the
 * {@code berth-task-fire} custom task. Cron expressions have 5 fields (minute hour day month
 * weekday) or 6 (with seconds first), evaluated in the trigger's time zone (UTC by default).
 *
 * <p>Each stored fire time also arms a {@link FireTimer} in this process, so that a fire starts at
 * its time instead of at db-scheduler's next poll (docs/adr/0011-cron-fire-timer.md).
 */
public final class DbTaskScheduling implements TaskScheduling {
  private final AtomicReference<Scheduler> client = new AtomicReference<>();
  private final CustomTask<Void> fireTask;
  private final FireTimer timer;

  /**
   * @param time the timers' scheduler; null where only {@link #nextFire} and {@link #cronError} are
   *     used
   */
  public DbTaskScheduling(CustomTask<Void> fireTask, dev.berth.core.time.Scheduler time) {
    this.fireTask = fireTask;
    this.timer = time == null ? null : new FireTimer(time, this::checkDue);
  }

  /** Set once the scheduler is built (it needs the task, the task needs this). */
  public void attach(Scheduler scheduler) {
    client.set(scheduler);
  }

  @Override
  public void schedule(String task, Instant fireAt) {
    Scheduler c = client.get();
    unschedule(task);
    c.schedule(fireTask.instance(task), fireAt);
    timer.arm(task, fireAt);
  }

  @Override
  public void unschedule(String task) {
    Scheduler c = client.get();
    timer.disarm(task);
    TaskInstanceId id = TaskInstanceId.of(fireTask.getName(), task);
    if (c.getScheduledExecution(id).isPresent()) {
      c.cancel(id);
    }
  }

  /** After a fire: arms the timer for the next fire time db-scheduler stores, or forgets it. */
  public void fired(String task, Optional<Instant> next) {
    next.ifPresentOrElse(at -> timer.arm(task, at), () -> timer.disarm(task));
  }

  /** At start: arms a timer for every stored fire time; returns how many. */
  public int armUpcoming() {
    int[] n = {0};
    client
        .get()
        .fetchScheduledExecutionsForTask(
            fireTask.getName(),
            Void.class,
            e -> {
              timer.arm(e.getTaskInstance().getId(), e.getExecutionTime());
              n[0]++;
            });
    return n[0];
  }

  private void checkDue() {
    Scheduler c = client.get();
    if (c != null) {
      c.triggerCheckForDueExecutions();
    }
  }

  @Override
  public Optional<Instant> nextFire(Trigger trigger, Instant after) {
    CronExpression cron = CronExpression.parse(sixFields(trigger.cron()));
    ZoneId zone =
        trigger.timezone() == null || trigger.timezone().isBlank()
            ? ZoneId.of("UTC")
            : ZoneId.of(trigger.timezone());
    ZonedDateTime next = cron.next(after.atZone(zone));
    return Optional.ofNullable(next).map(ZonedDateTime::toInstant);
  }

  /**
   * A fixed start for the "does it ever fire" check: a leap year's first day, so February 29th
   * passes.
   */
  private static final ZonedDateTime NEVER_CHECK_FROM =
      ZonedDateTime.of(2028, 1, 1, 0, 0, 0, 0, ZoneId.of("UTC"));

  @Override
  public String cronError(String cron) {
    String[] fields = cron.trim().split("\\s+");
    if (fields.length != 5 && fields.length != 6) {
      return "must have 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), had "
          + fields.length
          + ": '"
          + cron
          + "'";
    }
    try {
      CronExpression parsed = CronExpression.parse(sixFields(cron));
      if (parsed.next(NEVER_CHECK_FROM) == null) {
        return "never fires (e.g. February 30th): '" + cron + "'";
      }
      return null;
    } catch (IllegalArgumentException e) {
      return "is not a valid cron expression: " + e.getMessage();
    }
  }

  static String sixFields(String cron) {
    String trimmed = cron.trim();
    return trimmed.split("\\s+").length == 5 ? "0 " + trimmed : trimmed;
  }
}
