package dev.berth.core.node;

import dev.berth.core.support.Errors;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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
   * What a pool is: the labels every one of its nodes carries ({@code selector}; empty: every node)
   * and the taint that keeps other work off them (null: none).
   */
  record Definition(Map<String, String> selector, NodeInfo.Taint taint) {
    public Definition {
      selector =
          selector == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new TreeMap<>(selector));
    }
  }

  /**
   * The definition of {@code pool} in {@code cluster}, empty when there is no such pool (or this
   * directory only knows names).
   */
  default Optional<Definition> definition(String cluster, String pool) {
    return Optional.empty();
  }

  /**
   * Like {@link #check(String, String, String, Errors)} for a pool at {@code field}, and also adds
   * an error at {@code <nodeLabelsField>.<key>} for each of {@code nodeLabels} that the pool's
   * selector requires with another value: no node could carry both.
   */
  default void check(
      String cluster,
      String pool,
      String field,
      Map<String, String> nodeLabels,
      String nodeLabelsField,
      Errors errors) {
    check(cluster, pool, field, errors);
    if (pool == null || pool.isBlank() || nodeLabels == null || nodeLabels.isEmpty()) {
      return;
    }
    String c = cluster == null || cluster.isBlank() ? "local" : cluster;
    definition(c, pool)
        .ifPresent(
            d ->
                new TreeMap<>(nodeLabels)
                    .forEach(
                        (k, v) -> {
                          String wanted = d.selector().get(k);
                          if (wanted != null && !wanted.equals(v)) {
                            errors.add(
                                nodeLabelsField + "." + k,
                                "conflicts with pool '"
                                    + pool
                                    + "', whose nodes carry "
                                    + k
                                    + "="
                                    + wanted
                                    + "; use that value or leave the label out");
                          }
                        }));
  }

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
