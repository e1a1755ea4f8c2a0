package dev.berth.runtime.kubernetes;

import dev.berth.core.node.PoolDirectory;
import dev.berth.core.support.ValidationException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The door to a Kubernetes cluster for code that must not know the Kubernetes client: it turns a
 * kubeconfig (or the pod's own service account) into a {@link KubernetesConnection}, which checks
 * the cluster, reports its health and starts Berth's runtime on it. Stateless and thread-safe.
 */
public final class KubernetesConnector {
  private final java.time.Duration tolerateUnreachable;
  private final PoolDirectory pools;

  /** A connector whose runtimes' pods tolerate an unreachable or not-ready node for an hour. */
  public KubernetesConnector() {
    this(null);
  }

  public KubernetesConnector(java.time.Duration tolerateUnreachable) {
    this(tolerateUnreachable, PoolDirectory.NONE);
  }

  /**
   * @param tolerateUnreachable how long the pods of every runtime started through this connector
   *     stay on an unreachable or not-ready node before Kubernetes evicts them; null: an hour
   * @param pools the machine pools the runtimes place apps and runs on (their selector and taint)
   */
  public KubernetesConnector(java.time.Duration tolerateUnreachable, PoolDirectory pools) {
    this.tolerateUnreachable = tolerateUnreachable;
    this.pools = pools == null ? PoolDirectory.NONE : pools;
  }

  /**
   * A connection for {@code kubeconfig} (YAML), or for the pod Berth runs in when {@code
   * inCluster}. Nothing is sent yet; {@link KubernetesConnection#check} talks to the API server.
   *
   * @throws ValidationException naming {@code kubeconfig} when the document is unusable or names no
   *     server
   */
  public KubernetesConnection connect(String kubeconfig, boolean inCluster) {
    Config config;
    if (inCluster) {
      config =
          new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(3).build();
    } else {
      try {
        config =
            new ConfigBuilder(Config.fromKubeconfig(kubeconfig))
                .withRequestRetryBackoffLimit(3)
                .withConnectionTimeout(5_000)
                .withRequestTimeout(10_000)
                .build();
      } catch (RuntimeException e) {
        throw ValidationException.of(
            "kubeconfig", "is not a usable kubeconfig: " + Failures.describe(e));
      }
      if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
        throw ValidationException.of(
            "kubeconfig", "names no API server (clusters[].cluster.server of the current context)");
      }
    }
    return new KubernetesConnection(
        new KubernetesClientBuilder().withConfig(config).build(), tolerateUnreachable, pools);
  }
}
