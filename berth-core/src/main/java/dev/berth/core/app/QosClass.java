package dev.berth.core.app;

import java.util.Locale;

/**
 * How an instance ranks when a node runs short: {@code guaranteed} instances are protected most,
 * {@code best-effort} ones are the first to lose CPU and to be killed for memory. By default the
 * class follows from the resources the way Kubernetes derives it ({@link #of}); an app or task may
 * choose one ({@code resources.qos}).
 */
public enum QosClass {
  GUARANTEED,
  BURSTABLE,
  BEST_EFFORT;

  /**
   * The class that follows from {@code r}: guaranteed when a CPU guarantee is given and the CPU
   * limit equals it (memory is always a hard limit), best-effort when neither a CPU guarantee nor a
   * CPU limit is given, burstable otherwise. A chosen {@link Resources#qos()} wins.
   */
  public static QosClass of(Resources r) {
    if (r.qos() != null) {
      return r.qos();
    }
    if (r.cpu() > 0 && r.cpuLimit() == r.cpu()) {
      return GUARANTEED;
    }
    if (r.cpu() == 0 && r.cpuLimit() == 0) {
      return BEST_EFFORT;
    }
    return BURSTABLE;
  }

  /**
   * The spelling in the API and manifests: {@code guaranteed}, {@code burstable}, {@code
   * best-effort}.
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The class spelled {@code id} (case-insensitive; {@code BestEffort} also accepted), or null. */
  public static QosClass parse(String id) {
    if (id == null) {
      return null;
    }
    String k = id.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    for (QosClass q : values()) {
      if (q.name().replace("_", "").toLowerCase(Locale.ROOT).equals(k)) {
        return q;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return id();
  }
}
