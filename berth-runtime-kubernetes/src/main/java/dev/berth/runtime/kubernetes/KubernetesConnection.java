package dev.berth.runtime.kubernetes;

import dev.berth.core.node.PoolDirectory;
import dev.berth.core.support.ValidationException;
import dev.berth.core.time.Scheduler;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;

/**
 * One client to one Kubernetes cluster, made by {@link KubernetesConnector}: checks that Berth can
 * work there, reports health in words, and starts the runtime that drives Berth's workloads on it.
 * Thread-safe; {@link #close()} releases the client (the runtime closes it too when it stops).
 */
public final class KubernetesConnection implements AutoCloseable {
  /** The oldest Kubernetes Berth drives (StatefulSet partitions, Job deadlines, suspend). */
  static final int MIN_MINOR = 24;

  private final KubernetesClient client;
  private final java.time.Duration tolerateUnreachable;
  private final PoolDirectory pools;

  KubernetesConnection(
      KubernetesClient client, java.time.Duration tolerateUnreachable, PoolDirectory pools) {
    this.client = client;
    this.tolerateUnreachable = tolerateUnreachable;
    this.pools = pools;
  }

  /**
   * Whether the API server answers, with its version, or why not (Unreachable, Unauthorized,
   * Forbidden...).
   */
  public record Health(boolean ready, String status, String message, String version) {}

  /**
   * The server's version (e.g. {@code v1.31.2}), or a 400 naming {@code field} with what went wrong
   * (unreachable, 401, 403...). Besides {@code /version} (often open to anyone) it lists
   * StatefulSets in {@code namespace}, so that rejected credentials and missing RBAC show now
   * rather than at the first deploy. Blocks for at most the client's timeouts.
   *
   * @throws ValidationException naming {@code field}
   */
  public String check(String field, String namespace) {
    VersionInfo v;
    try {
      v = client.getKubernetesVersion();
      client
          .apps()
          .statefulSets()
          .inNamespace(namespace)
          .list(new ListOptionsBuilder().withLimit(1L).build());
    } catch (RuntimeException e) {
      throw ValidationException.of(
          field,
          "cannot be used: "
              + Failures.describe(e)
              + " (API server "
              + client.getMasterUrl()
              + ")");
    }
    if (v == null) {
      throw ValidationException.of(
          field,
          "cannot be used: the API server at "
              + client.getMasterUrl()
              + " did not say its version");
    }
    int minor = parseMinor(v.getMinor());
    if ("1".equals(v.getMajor()) && minor > 0 && minor < MIN_MINOR) {
      throw ValidationException.of(
          field,
          "points at Kubernetes "
              + v.getMajor()
              + "."
              + v.getMinor()
              + "; Berth needs 1."
              + MIN_MINOR
              + " or newer");
    }
    return describe(v);
  }

  /**
   * Asks the API server for its version; never throws: a failure becomes a status and a message.
   */
  public Health health() {
    Health first = askVersion();
    // A connection the client kept from before an API server restart fails once; one more try
    // on a fresh connection tells a server that is back from one that is still away.
    return first.status().equals("Unreachable") ? askVersion() : first;
  }

  private Health askVersion() {
    try {
      String version = describe(client.getKubernetesVersion());
      return new Health(true, "Ready", "Kubernetes " + version, version);
    } catch (RuntimeException e) {
      return new Health(false, Failures.status(e), Failures.describe(e), null);
    }
  }

  /**
   * Starts Berth's runtime for cluster {@code cluster} in {@code namespace} over this connection.
   */
  public KubernetesRuntime start(String cluster, String namespace, Scheduler scheduler) {
    return KubernetesRuntime.start(
        client,
        KubernetesRuntime.Options.of(cluster, namespace).tolerating(tolerateUnreachable),
        scheduler,
        pools);
  }

  @Override
  public void close() {
    client.close();
  }

  private static String describe(VersionInfo v) {
    return v.getGitVersion() != null ? v.getGitVersion() : "v" + v.getMajor() + "." + v.getMinor();
  }

  private static int parseMinor(String minor) {
    String digits = minor == null ? "" : minor.replaceAll("[^0-9].*$", "");
    return digits.isEmpty() ? 0 : Integer.parseInt(digits);
  }
}
