package dev.berth.core.app;

/**
 * What an instance may use. {@code cpu} is guaranteed (cpu shares locally, requests on Kubernetes),
 * {@code cpuLimit} the maximum (CFS quota, limits), {@code memoryMiB} a hard limit (OOM kill past
 * it). With {@link CpuPolicy#CPUSET} the instance gets {@code ceil(cpu)} dedicated CPUs. {@code
 * qos} is a chosen {@link QosClass}, null when the class follows from the other fields ({@link
 * #qosClass()}).
 */
public record Resources(
    double cpu, double cpuLimit, int memoryMiB, CpuPolicy cpuPolicy, int pids, QosClass qos) {
  public static final int DEFAULT_MEMORY_MIB = 256;
  public static final int DEFAULT_PIDS = 1024;
  public static final Resources DEFAULT =
      new Resources(0.1, 0, DEFAULT_MEMORY_MIB, CpuPolicy.SHARES, DEFAULT_PIDS);

  /** Resources whose QoS class follows from them. */
  public Resources(double cpu, double cpuLimit, int memoryMiB, CpuPolicy cpuPolicy, int pids) {
    this(cpu, cpuLimit, memoryMiB, cpuPolicy, pids, null);
  }

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

  /** The QoS class: the chosen one, else the one that follows from the resources. */
  public QosClass qosClass() {
    return QosClass.of(this);
  }

  /** These resources with a chosen QoS class (null: follow from the resources). */
  public Resources withQos(QosClass chosen) {
    return new Resources(cpu, cpuLimit, memoryMiB, cpuPolicy, pids, chosen);
  }
}
