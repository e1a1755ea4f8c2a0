package dev.berth.core.app;

/**
 * What an instance may use. {@code cpu} is guaranteed (cpu shares locally, requests on Kubernetes),
 * {@code cpuLimit} the maximum (CFS quota, limits), {@code memoryMiB} a hard limit (OOM kill past it).
 * With {@link CpuPolicy#CPUSET} the instance gets {@code ceil(cpu)} dedicated CPUs.
 */
public record Resources(double cpu, double cpuLimit, int memoryMiB, CpuPolicy cpuPolicy, int pids) {
  public static final Resources DEFAULT = new Resources(0.1, 1, 128, CpuPolicy.SHARES, 1024);

  public Resources {
    if (cpuPolicy == null) {
      cpuPolicy = CpuPolicy.SHARES;
    }
    if (pids <= 0) {
      pids = 1024;
    }
  }
}
