package dev.berth.core.task;

/**
 * Whether the caller of a run-now waits for the result ({@code sync}) or gets a run id ({@code
 * async}).
 */
public enum RunMode {
  SYNC,
  ASYNC;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
