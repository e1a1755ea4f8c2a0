package dev.berth.core.task;

/**
 * The life of one task run. {@code waiting}: held back until its task's window opens or its node is
 * idle enough ({@link Placement}); the message says which. The last four are final.
 */
public enum RunState {
  QUEUED,
  WAITING,
  STARTING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  CANCELLED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == CANCELLED;
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
