package dev.berth.server.charts;

/**
 * What the metric source last measured on one node; each value null when it was not measured.
 * {@code cpuCores} is the CPU in use (cores), {@code pids} the threads (each takes a PID) against
 * {@code pidMax}, {@code disk*} the fullest filesystem; the rest as recorded.
 */
public record NodeReading(
    Double cpuCores,
    Double memoryBytes,
    Double memoryTotalBytes,
    Double conntrack,
    Double conntrackLimit,
    Double pids,
    Double pidMax,
    Double imageStoreUsed,
    Double imageStoreSize,
    Double diskUsed,
    Double diskSize) {

  public static final NodeReading NONE =
      new NodeReading(null, null, null, null, null, null, null, null, null, null, null);

  /** Memory in use in MiB, or null. */
  public Long memoryMiB() {
    return memoryBytes == null ? null : Math.round(memoryBytes / (1024.0 * 1024.0));
  }

  /** 100 × {@code value} / {@code limit}, or null when either is unknown or the limit is 0. */
  public static Double percent(Double value, Double limit) {
    return value == null || limit == null || limit <= 0 ? null : 100.0 * value / limit;
  }
}
