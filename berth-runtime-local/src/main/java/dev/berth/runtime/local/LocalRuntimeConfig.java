package dev.berth.runtime.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the local runtime. Only {@code cluster} and {@code dataDir} are required; every other
 * component may be null (or zero) and then takes the documented default.
 *
 * @param cluster the cluster name this runtime reports
 * @param dataDir where instance bundles, the IP map, logs and the runc state live
 * @param runc the runc binary (default {@code runc} from {@code PATH})
 * @param runcRoot runc's state directory (default {@code <dataDir>/runc})
 * @param bridge the Linux bridge instances attach to (default {@code berth0})
 * @param subnet the IPv4 subnet of the bridge, CIDR (default {@code 10.88.0.0/16}); the bridge
 *     takes its first host address, instances the following ones
 * @param cgroupParent the cgroup under which instance cgroups are made (default {@code berth})
 * @param logMaxBytes size past which a console log is rotated (default 10 MiB)
 * @param logFiles rotated files kept besides {@code console.log} (default 3)
 * @param backoffInitial first restart delay (default 1 s), doubled per failed start
 * @param backoffMax restart delay cap (default 60 s)
 * @param logRetention how long logs of removed instances are kept (default 7 days)
 * @param bridgeDns whether containers resolve names through a DNS server on the bridge's address
 *     (port 53, run by whoever runs this runtime) instead of the host's resolvers (default false)
 */
public record LocalRuntimeConfig(
    String cluster,
    Path dataDir,
    String runc,
    Path runcRoot,
    String bridge,
    String subnet,
    String cgroupParent,
    long logMaxBytes,
    int logFiles,
    Duration backoffInitial,
    Duration backoffMax,
    Duration logRetention,
    boolean bridgeDns) {
  public LocalRuntimeConfig {
    Objects.requireNonNull(cluster, "cluster must not be null");
    Objects.requireNonNull(dataDir, "dataDir must not be null");
    dataDir = dataDir.toAbsolutePath().normalize();
    runc = runc == null || runc.isBlank() ? "runc" : runc;
    runcRoot = runcRoot == null ? dataDir.resolve("runc") : runcRoot.toAbsolutePath().normalize();
    bridge = bridge == null || bridge.isBlank() ? "berth0" : bridge;
    if (bridge.length() > 15) {
      throw new IllegalArgumentException(
          "bridge name must be at most 15 characters, was " + bridge);
    }
    subnet = subnet == null || subnet.isBlank() ? "10.88.0.0/16" : subnet;
    Subnet.parse(subnet);
    cgroupParent =
        cgroupParent == null || cgroupParent.isBlank()
            ? "berth"
            : cgroupParent.replaceAll("^/+|/+$", "");
    logMaxBytes = logMaxBytes <= 0 ? 10L << 20 : logMaxBytes;
    logFiles = logFiles <= 0 ? 3 : logFiles;
    backoffInitial = backoffInitial == null ? Duration.ofSeconds(1) : backoffInitial;
    backoffMax = backoffMax == null ? Duration.ofSeconds(60) : backoffMax;
    logRetention = logRetention == null ? Duration.ofDays(7) : logRetention;
  }

  /** A configuration with every default but the cluster name and data directory. */
  public static LocalRuntimeConfig defaults(String cluster, Path dataDir) {
    return builder(cluster, dataDir).build();
  }

  /** A builder with the two required settings; everything else takes its default unless set. */
  public static Builder builder(String cluster, Path dataDir) {
    return new Builder(cluster, dataDir);
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(cluster, dataDir)
        .runc(runc)
        .runcRoot(runcRoot)
        .network(bridge, subnet)
        .cgroupParent(cgroupParent)
        .logs(logMaxBytes, logFiles)
        .backoff(backoffInitial, backoffMax)
        .logRetention(logRetention)
        .bridgeDns(bridgeDns);
  }

  /**
   * This configuration with another runc binary (a name on the PATH or a path); blank means {@code
   * runc}.
   */
  public LocalRuntimeConfig withRunc(String newRunc) {
    return toBuilder().runc(newRunc).build();
  }

  public LocalRuntimeConfig withNetwork(String newBridge, String newSubnet) {
    return toBuilder().network(newBridge, newSubnet).build();
  }

  public LocalRuntimeConfig withCgroupParent(String parent) {
    return toBuilder().cgroupParent(parent).build();
  }

  public LocalRuntimeConfig withBackoff(Duration initial, Duration max) {
    return toBuilder().backoff(initial, max).build();
  }

  public LocalRuntimeConfig withLogs(long maxBytes, int files) {
    return toBuilder().logs(maxBytes, files).build();
  }

  /**
   * Names each setting instead of twelve positional arguments; unset ones take their defaults. Not
   * thread-safe.
   */
  public static final class Builder {
    private final String cluster;
    private final Path dataDir;
    private String runc;
    private Path runcRoot;
    private String bridge;
    private String subnet;
    private String cgroupParent;
    private long logMaxBytes;
    private int logFiles;
    private Duration backoffInitial;
    private Duration backoffMax;
    private Duration logRetention;
    private boolean bridgeDns;

    private Builder(String cluster, Path dataDir) {
      this.cluster = cluster;
      this.dataDir = dataDir;
    }

    public Builder runc(String v) {
      runc = v;
      return this;
    }

    public Builder runcRoot(Path v) {
      runcRoot = v;
      return this;
    }

    public Builder network(String newBridge, String newSubnet) {
      bridge = newBridge;
      subnet = newSubnet;
      return this;
    }

    public Builder cgroupParent(String v) {
      cgroupParent = v;
      return this;
    }

    public Builder logs(long maxBytes, int files) {
      logMaxBytes = maxBytes;
      logFiles = files;
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      backoffInitial = initial;
      backoffMax = max;
      return this;
    }

    public Builder logRetention(Duration v) {
      logRetention = v;
      return this;
    }

    public Builder bridgeDns(boolean v) {
      bridgeDns = v;
      return this;
    }

    /** The settings, with defaults filled in and checked as the record's constructor says. */
    public LocalRuntimeConfig build() {
      return new LocalRuntimeConfig(
          cluster,
          dataDir,
          runc,
          runcRoot,
          bridge,
          subnet,
          cgroupParent,
          logMaxBytes,
          logFiles,
          backoffInitial,
          backoffMax,
          logRetention,
          bridgeDns);
    }
  }
}
