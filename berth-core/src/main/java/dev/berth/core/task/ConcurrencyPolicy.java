package dev.berth.core.task;

/**
 * What a scheduled fire does while an earlier run of the same task is still going (CronJob rules).
 */
public enum ConcurrencyPolicy {
  /** Run alongside. */
  ALLOW,
  /** Skip this fire. */
  FORBID,
  /** Cancel the running one, then run. */
  REPLACE;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
