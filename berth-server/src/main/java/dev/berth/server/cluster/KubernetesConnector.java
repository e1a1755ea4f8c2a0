package dev.berth.server.cluster;

import dev.berth.core.support.ValidationException;
import dev.berth.runtime.kubernetes.Failures;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;

/** Makes clients from a kubeconfig or the pod's own service account, and checks they can talk. */
public class KubernetesConnector {
  /** The oldest Kubernetes Berth drives (StatefulSet partitions, Job deadlines, suspend). */
  static final int MIN_MINOR = 24;

  /** A client for {@code kubeconfig} (YAML), or for the pod Berth runs in when {@code inCluster}. */
  public KubernetesClient client(String kubeconfig, boolean inCluster) {
    Config config;
    if (inCluster) {
      config = new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(3).build();
    } else {
      try {
        config = new ConfigBuilder(Config.fromKubeconfig(kubeconfig)).withRequestRetryBackoffLimit(3).withConnectionTimeout(5_000).withRequestTimeout(10_000).build();
      } catch (RuntimeException e) {
        throw ValidationException.of("kubeconfig", "is not a usable kubeconfig: " + Failures.describe(e));
      }
      if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
        throw ValidationException.of("kubeconfig", "names no API server (clusters[].cluster.server of the current context)");
      }
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * The server's version, or a 400 naming {@code field} with what went wrong (unreachable, 401, 403...).
   * Besides {@code /version} (often open to anyone) it lists StatefulSets in {@code namespace}, so that
   * rejected credentials and missing RBAC show now rather than at the first deploy.
   */
  public VersionInfo check(KubernetesClient client, String field, String namespace) {
    VersionInfo v;
    try {
      v = client.getKubernetesVersion();
      client.apps().statefulSets().inNamespace(namespace).list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
    } catch (RuntimeException e) {
      throw ValidationException.of(field, "cannot be used: " + Failures.describe(e) + " (API server " + client.getMasterUrl() + ")");
    }
    if (v == null) {
      throw ValidationException.of(field, "cannot be used: the API server at " + client.getMasterUrl() + " did not say its version");
    }
    int minor = parseMinor(v.getMinor());
    if ("1".equals(v.getMajor()) && minor > 0 && minor < MIN_MINOR) {
      throw ValidationException.of(field, "points at Kubernetes " + v.getMajor() + "." + v.getMinor() + "; Berth needs 1." + MIN_MINOR + " or newer");
    }
    return v;
  }

  private static int parseMinor(String minor) {
    String digits = minor == null ? "" : minor.replaceAll("[^0-9].*$", "");
    return digits.isEmpty() ? 0 : Integer.parseInt(digits);
  }
}
