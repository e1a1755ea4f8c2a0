package dev.berth.core.task;

import java.time.Instant;

/**
 * When a task runs. {@code at} for {@link TriggerType#AT}; {@code cron} (5 or 6 fields) and {@code
 * timezone} (an IANA zone, default UTC) for {@link TriggerType#CRON}. {@code
 * startingDeadlineSeconds} bounds how late a missed fire may still start (as in a Kubernetes
 * CronJob); later ones are skipped.
 */
public record Trigger(
    TriggerType type, Instant at, String cron, String timezone, Integer startingDeadlineSeconds) {
  public static Trigger now() {
    return new Trigger(TriggerType.NOW, null, null, null, null);
  }
}
