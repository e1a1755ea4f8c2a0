package dev.berth.core.node;

import dev.berth.core.support.Errors;
import java.util.Set;

/**
 * The machine pools defined per cluster, for checking an app's or task's {@code scheduling.pool}.
 * Implementations read stored pools; they are thread-safe and never check permissions (any spec
 * author may name a pool).
 */
@FunctionalInterface
public interface PoolDirectory {
  /** A directory without pools: every named pool is unknown. */
  PoolDirectory NONE = cluster -> Set.of();

  /** The names of the pools of {@code cluster}; empty for an unknown cluster. */
  Set<String> names(String cluster);

  /**
   * Adds an error at {@code field} when {@code pool} is given and not a pool of {@code cluster}
   * ({@code local} when blank), naming the pools there are.
   */
  default void check(String cluster, String pool, String field, Errors errors) {
    if (pool == null || pool.isBlank()) {
      return;
    }
    String c = cluster == null || cluster.isBlank() ? "local" : cluster;
    Set<String> known = names(c);
    if (!known.contains(pool)) {
      errors.add(
          field,
          "unknown pool '"
              + pool
              + "' in cluster '"
              + c
              + "'; "
              + (known.isEmpty()
                  ? "define it first (POST /api/v1/clusters/" + c + "/pools) or leave it out"
                  : "known: " + String.join(", ", new java.util.TreeSet<>(known))));
    }
  }
}
