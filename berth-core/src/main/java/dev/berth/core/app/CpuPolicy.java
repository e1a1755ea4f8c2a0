package dev.berth.core.app;

/** How an instance gets its CPU: a weighted share of all CPUs, or dedicated CPUs (a cpuset). */
public enum CpuPolicy {
  SHARES,
  CPUSET;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
