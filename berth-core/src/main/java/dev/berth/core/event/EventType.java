package dev.berth.core.event;

/** Normal events record what happened; warnings record what went wrong and needs a look. */
public enum EventType {
  NORMAL,
  WARNING;

  @Override
  public String toString() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
