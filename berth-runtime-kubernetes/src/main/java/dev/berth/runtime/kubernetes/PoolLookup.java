package dev.berth.runtime.kubernetes;

import dev.berth.core.event.Event;
import dev.berth.core.node.PoolDirectory;
import dev.berth.core.runtime.RuntimeFailure;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The definition of the pool a workload names, read from the directory each time its objects are
 * computed, so a pool's new selector or taint reaches the pod templates at the next reconcile. A
 * pool that is gone (deleted after the app or task named it) places nothing: the workload stays
 * deployable, and a warning event {@code PoolGone} on the app or run says so, once per workload and
 * pool until the pool exists again. Thread-safe.
 */
final class PoolLookup {
  private static final Logger LOG = LoggerFactory.getLogger(PoolLookup.class);
  private final String cluster;
  private final PoolDirectory directory;
  private final Consumer<Event> events;
  private final InstantSource clock;
  private final Set<String> missing = ConcurrentHashMap.newKeySet();

  /**
   * @param events where the {@code PoolGone} warning goes
   */
  PoolLookup(String cluster, PoolDirectory directory, Consumer<Event> events, InstantSource clock) {
    this.cluster = cluster;
    this.directory = directory == null ? PoolDirectory.NONE : directory;
    this.events = events;
    this.clock = clock;
  }

  /**
   * The definition of the pool that {@code kind} ({@code app} or {@code run}) {@code name} of
   * {@code app} names; null for no pool or a pool the directory does not know.
   *
   * @throws RuntimeFailure when the directory cannot be read; the caller tries again
   */
  PoolDirectory.Definition of(String pool, String kind, String name, String app) {
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
    String key = kind + "/" + name + "/" + pool;
    if (found.isEmpty()) {
      if (missing.add(key)) {
        String message =
            "pool '"
                + pool
                + "' is gone; placed without its node selector and toleration until it is"
                + " defined again";
        LOG.warn("cluster {}: {} {}: {}", cluster, kind, name, message);
        events.accept(
            Event.warning(clock.instant(), cluster, kind, name, app, "PoolGone", message));
      }
      return null;
    }
    missing.remove(key);
    return found.get();
  }
}
