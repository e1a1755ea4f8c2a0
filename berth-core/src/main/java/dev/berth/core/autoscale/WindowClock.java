package dev.berth.core.autoscale;

import java.time.Instant;

/** Evaluates schedule windows (their cron expressions in their time zones) at a moment. */
public interface WindowClock {
  WindowState at(ScheduleWindow window, Instant now);

  /** Null when {@code cron} is a valid five-field expression that fires, else what is wrong. */
  String cronError(String cron);
}
