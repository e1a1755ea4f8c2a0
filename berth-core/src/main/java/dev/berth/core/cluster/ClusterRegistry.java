package dev.berth.core.cluster;

import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.support.NotFoundException;
import java.util.List;
import java.util.Optional;

/** The clusters Berth knows and the runtime that drives each. Thread-safe. */
public interface ClusterRegistry {
  List<Cluster> clusters();

  Optional<ClusterRuntime> runtime(String cluster);

  /** The runtime of {@code cluster}, or a {@link NotFoundException}. */
  default ClusterRuntime require(String cluster) {
    return runtime(cluster).orElseThrow(() -> new NotFoundException("cluster", cluster));
  }
}
