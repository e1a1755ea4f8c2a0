package dev.berth.server.autoscale;

import dev.berth.core.autoscale.ScheduleWindow;
import dev.berth.core.autoscale.WindowClock;
import dev.berth.core.autoscale.WindowState;
import dev.berth.server.task.DbTaskScheduling;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.springframework.scheduling.support.CronExpression;

/**
 * Schedule windows on Spring's cron expressions (five fields, as tasks use them): a window is open
 * when its start fired more recently than its end, both looked up in the window's time zone.
 */
public final class CronWindows implements WindowClock {
  /** How far back the last fire time is looked for, in growing steps (a yearly cron included). */
  private static final List<Duration> LOOK_BACK =
      List.of(
          Duration.ofHours(1),
          Duration.ofDays(1),
          Duration.ofDays(8),
          Duration.ofDays(32),
          Duration.ofDays(367));

  private final DbTaskScheduling crons = new DbTaskScheduling(null, null);

  @Override
  public WindowState at(ScheduleWindow w, Instant now) {
    ZoneId zone = ZoneId.of(w.timezone() == null ? "UTC" : w.timezone());
    Instant start = lastFire(w.start(), zone, now);
    Instant end = lastFire(w.end(), zone, now);
    boolean open = start != null && (end == null || start.isAfter(end));
    return new WindowState(w, open, open ? null : end);
  }

  @Override
  public String cronError(String cron) {
    return crons.cronError(cron);
  }

  /** The last time {@code cron} fired at or before {@code now}, null when not within a year. */
  static Instant lastFire(String cron, ZoneId zone, Instant now) {
    String trimmed = cron.trim();
    CronExpression e =
        CronExpression.parse(trimmed.split("\\s+").length == 5 ? "0 " + trimmed : trimmed);
    ZonedDateTime at = now.atZone(zone);
    for (Duration back : LOOK_BACK) {
      ZonedDateTime t = e.next(at.minus(back));
      if (t == null || t.isAfter(at)) {
        continue;
      }
      ZonedDateTime next = e.next(t);
      while (next != null && !next.isAfter(at)) {
        t = next;
        next = e.next(t);
      }
      return t.toInstant();
    }
    return null;
  }
}
