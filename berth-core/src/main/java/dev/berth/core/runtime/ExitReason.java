package dev.berth.core.runtime;

/** Why a process ended: exit 0, a non-zero exit, a signal, or the kernel's OOM killer. */
public enum ExitReason {
  COMPLETED,
  ERROR,
  KILLED,
  OOM;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
