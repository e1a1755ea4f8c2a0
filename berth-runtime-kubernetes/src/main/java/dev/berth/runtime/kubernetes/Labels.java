package dev.berth.runtime.kubernetes;

import java.util.Map;
import java.util.TreeMap;

/** The labels and annotations Berth puts on the objects it creates, and reads back. */
public final class Labels {
  private Labels() {}

  /**
   * Every object Berth creates carries {@code managed-by: berth}; Berth changes nothing without it.
   */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String BERTH = "berth";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String APP = "berth.dev/app";
  public static final String REVISION = "berth.dev/revision";
  public static final String CURRENT_REVISION = "berth.dev/current-revision";
  public static final String RUN = "berth.dev/run";
  public static final String TASK = "berth.dev/task";

  /** Hash of the desired object as Berth last applied it; equal hash means nothing to write. */
  public static final String APPLIED_HASH = "berth.dev/applied-hash";

  public static final String KEEP_ON_FAILURE = "berth.dev/keep-on-failure";
  public static final String CANCELLED = "berth.dev/cancelled";

  /**
   * Node label naming a node's pool, shown as the node's pool. Placement does not use it: a pool
   * places work by its own selector and taint (see {@code Placement}).
   */
  public static final String POOL = "berth.dev/pool";

  /**
   * The QoS class of a pod ({@code guaranteed}, {@code burstable}, {@code best-effort}), as Berth
   * chose its requests and limits.
   */
  public static final String QOS = "berth.dev/qos";

  public static final String HOSTNAME = "kubernetes.io/hostname";
  public static final String ZONE = "topology.kubernetes.io/zone";

  /** The labels of an app's objects and pods (also the selector, without the revision). */
  public static Map<String, String> app(String app) {
    Map<String, String> m = new TreeMap<>();
    m.put(MANAGED_BY, BERTH);
    m.put(NAME, app);
    m.put(APP, app);
    return m;
  }

  public static Map<String, String> selector(String app) {
    return Map.of(APP, app);
  }

  /**
   * Whether a pod takes traffic: {@link #TRAFFIC_ON} from the pod template, {@link #TRAFFIC_OFF}
   * while Berth holds it offline or draining. The app's Service selects only {@code on}, so an
   * offline pod leaves the Service's endpoints and its DNS names but keeps running.
   */
  public static final String TRAFFIC = "berth.dev/traffic";

  public static final String TRAFFIC_ON = "on";
  public static final String TRAFFIC_OFF = "off";

  /** The Service's selector: the app's pods that take traffic. */
  public static Map<String, String> serving(String app) {
    return new TreeMap<>(Map.of(APP, app, TRAFFIC, TRAFFIC_ON));
  }

  public static boolean managed(io.fabric8.kubernetes.api.model.HasMetadata o) {
    Map<String, String> labels =
        o == null || o.getMetadata() == null ? null : o.getMetadata().getLabels();
    return labels != null && BERTH.equals(labels.get(MANAGED_BY));
  }
}
