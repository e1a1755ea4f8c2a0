package dev.berth.core.testing;

import dev.berth.core.cluster.Cluster;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.runtime.ClusterRuntime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link ClusterRegistry} over the runtimes a test gives it; a cluster can be taken away. */
public final class FakeClusters implements ClusterRegistry {
  private final Map<String, ClusterRuntime> runtimes = new ConcurrentSkipListMap<>();

  public FakeClusters(ClusterRuntime... runtimes) {
    for (ClusterRuntime r : runtimes) {
      add(r);
    }
  }

  public void add(ClusterRuntime runtime) {
    runtimes.put(runtime.cluster(), runtime);
  }

  /** The cluster becomes unavailable (its runtime is gone) until added again. */
  public void remove(String cluster) {
    runtimes.remove(cluster);
  }

  @Override
  public List<Cluster> clusters() {
    return runtimes.keySet().stream().map(n -> new Cluster(n, "fake", null, "Ready", "")).toList();
  }

  @Override
  public Optional<ClusterRuntime> runtime(String cluster) {
    return Optional.ofNullable(runtimes.get(cluster));
  }
}
