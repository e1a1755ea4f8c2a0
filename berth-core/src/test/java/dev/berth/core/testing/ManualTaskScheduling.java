package dev.berth.core.testing;

import dev.berth.core.task.TaskScheduling;
import dev.berth.core.task.Trigger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fire times in memory, standing in for db-scheduler: one stored fire time per task, and {@link
 * #fireDue} delivers every due one to a handler and stores the next time it returns (or forgets the
 * task). Cron here understands only <code>&#42;/N * * * * *</code> (every N seconds, aligned to the
 * epoch), enough for the services' rules; the server's real cron is tested with db-scheduler.
 * Thread-safe.
 */
public final class ManualTaskScheduling implements TaskScheduling {
  private static final Pattern EVERY = Pattern.compile("\\*/(\\d+) \\* \\* \\* \\* \\*");
  private final Map<String, Instant> fireTimes = new TreeMap<>();

  @Override
  public synchronized void schedule(String task, Instant fireAt) {
    fireTimes.put(task, fireAt);
  }

  @Override
  public synchronized void unschedule(String task) {
    fireTimes.remove(task);
  }

  @Override
  public Optional<Instant> nextFire(Trigger trigger, Instant after) {
    Matcher m = EVERY.matcher(trigger.cron().strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "only '*/N * * * * *' in tests, was '" + trigger.cron() + "'");
    }
    long every = Long.parseLong(m.group(1));
    long next = (after.getEpochSecond() / every + 1) * every;
    return Optional.of(Instant.ofEpochSecond(next));
  }

  @Override
  public String cronError(String cron) {
    return EVERY.matcher(cron.strip()).matches()
        ? null
        : "is not a valid cron expression here (tests know '*/N * * * * *' only)";
  }

  /** The stored fire time of {@code task}. */
  public synchronized Optional<Instant> fireTime(String task) {
    return Optional.ofNullable(fireTimes.get(task));
  }

  /**
   * Delivers every fire time at or before {@code now} to {@code fire} (once per stored time) and
   * stores what it returns as the task's next fire time.
   */
  public void fireDue(Instant now, BiFunction<String, Instant, Optional<Instant>> fire) {
    Map<String, Instant> due = new TreeMap<>();
    synchronized (this) {
      fireTimes.forEach(
          (task, at) -> {
            if (!at.isAfter(now)) {
              due.put(task, at);
            }
          });
    }
    due.forEach(
        (task, at) -> {
          Optional<Instant> next = fire.apply(task, at);
          synchronized (this) {
            if (at.equals(fireTimes.get(task))) {
              next.ifPresentOrElse(n -> fireTimes.put(task, n), () -> fireTimes.remove(task));
            }
          }
        });
  }
}
