package dev.berth.server.cluster;

import dev.berth.core.cluster.Cluster;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.runtime.ClusterRuntime;
import java.util.List;
import java.util.Optional;

/**
 * The clusters of this server: for now the embedded {@code local} one, when enabled. Kubernetes
 * clusters registered by kubeconfig join here with the Kubernetes runtime.
 */
public final class LocalClusterRegistry implements ClusterRegistry, AutoCloseable {
  public static final String LOCAL = "local";
  private final ClusterRuntime local;

  public LocalClusterRegistry(ClusterRuntime local) {
    this.local = local;
  }

  @Override
  public List<Cluster> clusters() {
    if (local == null) {
      return List.of();
    }
    boolean ready = local.nodes().stream().allMatch(n -> n.ready());
    return List.of(new Cluster(LOCAL, "local", "local", ready ? "Ready" : "NotReady", ready ? "runc on this host" : "the host is not ready"));
  }

  @Override
  public Optional<ClusterRuntime> runtime(String cluster) {
    return LOCAL.equals(cluster) ? Optional.ofNullable(local) : Optional.empty();
  }

  @Override
  public void close() {
    if (local != null) {
      local.close();
    }
  }
}
