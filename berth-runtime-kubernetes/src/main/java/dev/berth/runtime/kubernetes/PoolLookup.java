package dev.berth.runtime.kubernetes;

import dev.berth.core.node.PoolDirectory;
import dev.berth.core.runtime.RuntimeFailure;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The definition of the pool a workload names, read from the directory each time its objects are
 * computed, so a pool's new selector or taint reaches the pod templates at the next reconcile. A
 * pool that is gone (deleted after the app or task named it) places nothing: the workload stays
 * deployable, and a warning says so once per pool until it exists again. Thread-safe.
 */
final class PoolLookup {
  private static final Logger LOG = LoggerFactory.getLogger(PoolLookup.class);
  private final String cluster;
  private final PoolDirectory directory;
  private final Set<String> missing = ConcurrentHashMap.newKeySet();

  PoolLookup(String cluster, PoolDirectory directory) {
    this.cluster = cluster;
    this.directory = directory == null ? PoolDirectory.NONE : directory;
  }

  /**
   * The pool's definition; null for no pool or a pool the directory does not know.
   *
   * @throws RuntimeFailure when the directory cannot be read; the caller tries again
   */
  PoolDirectory.Definition of(String pool) {
    if (pool == null || pool.isBlank()) {
      return null;
    }
    Optional<PoolDirectory.Definition> found;
    try {
      found = directory.definition(cluster, pool);
    } catch (RuntimeException e) {
      throw new RuntimeFailure(
          "cannot read pool '" + pool + "' of cluster '" + cluster + "': " + e.getMessage(), e);
    }
    if (found.isEmpty()) {
      if (missing.add(pool)) {
        LOG.warn(
            "pool '{}' of cluster '{}' is gone; workloads that name it are placed without its"
                + " node selector and toleration until it is defined again",
            pool,
            cluster);
      }
      return null;
    }
    missing.remove(pool);
    return found.get();
  }
}
