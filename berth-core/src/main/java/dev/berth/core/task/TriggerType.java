package dev.berth.core.task;

/** When a task runs: once now, once at a given instant, or on a cron schedule. */
public enum TriggerType {
  NOW,
  AT,
  CRON;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
