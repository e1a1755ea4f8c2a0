package dev.berth.core.task;

import dev.berth.core.app.Scheduling;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a task's runs may be placed ({@code scheduling} in the task spec): a machine {@code pool}
 * of the task's cluster (its node selector and the toleration of its taint) and further {@code
 * nodeLabels} every node of a run must carry. Immutable.
 */
public record RunScheduling(String pool, Map<String, String> nodeLabels) {
  /** Anywhere. */
  public static final RunScheduling NONE = new RunScheduling(null, null);

  public RunScheduling {
    pool = pool == null || pool.isBlank() ? null : pool.strip();
    nodeLabels =
        nodeLabels == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(nodeLabels));
  }

  /**
   * The same rules as an app's scheduling: the pool and required node labels, nothing preferred.
   */
  public Scheduling asScheduling() {
    return new Scheduling(pool, nodeLabels, null, Scheduling.Spread.NONE, null);
  }
}
