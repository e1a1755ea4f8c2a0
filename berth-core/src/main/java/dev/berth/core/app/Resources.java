package dev.berth.core.app;

/**
 * What an instance may use. {@code cpu} is guaranteed (cpu shares locally, requests on Kubernetes),
 * {@code cpuLimit} the maximum (CFS quota, limits), {@code memoryMiB} a hard limit (OOM kill past
 * it). With {@link CpuPolicy#CPUSET} the instance gets {@code ceil(cpu)} dedicated CPUs.
 */
public record Resources(double cpu, double cpuLimit, int memoryMiB, CpuPolicy cpuPolicy, int pids) {
  public static final int DEFAULT_MEMORY_MIB = 256;
  public static final int DEFAULT_PIDS = 1024;
  public static final Resources DEFAULT =
      new Resources(0.1, 0, DEFAULT_MEMORY_MIB, CpuPolicy.SHARES, DEFAULT_PIDS);

  /**
   * Zero means "not given": memory and pids get their defaults; cpu 0 guarantees nothing, cpuLimit
   * 0 caps nothing.
   */
  public Resources {
    if (cpuPolicy == null) {
      cpuPolicy = CpuPolicy.SHARES;
    }
    if (memoryMiB == 0) {
      memoryMiB = DEFAULT_MEMORY_MIB;
    }
    if (pids == 0) {
      pids = DEFAULT_PIDS;
    }
  }

  /** Dedicated CPUs under {@link CpuPolicy#CPUSET}: the guaranteed CPU rounded up, at least one. */
  public int dedicatedCpus() {
    return Math.max(1, (int) Math.ceil(cpu));
  }
}
