package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.InstanceIds;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a StatefulSet makes exactly the instances {@link AppWorkload#updated} names run the update
 * revision. Pure; no I/O.
 *
 * <ul>
 *   <li>{@link Mode#PARTITION}: nobody chosen to go first: {@code RollingUpdate} with {@code
 *       partition} = the workload's partition (ordinals at or above it are updated, from the
 *       highest down, by the StatefulSet controller).
 *   <li>{@link Mode#KRUISE_PRIORITY}: chosen instances on an OpenKruise Advanced StatefulSet:
 *       {@code unorderedUpdate} with update priorities (the chosen pods weigh most, the other pods
 *       to update less, the rest nothing), and {@code partition} becomes the number of pods that
 *       keep the current revision, as Kruise reads it in that mode.
 *   <li>{@link Mode#ON_DELETE}: chosen instances on a plain StatefulSet, which cannot update an
 *       ordinal below its partition: {@code OnDelete}, and Berth deletes the pods that must move
 *       one at a time ({@link InstanceUpdates}); the StatefulSet recreates each from the update
 *       revision.
 * </ul>
 */
final class UpdateStrategies {
  /** The label the StatefulSet controller (plain and Kruise) puts on every pod: its name. */
  static final String POD_NAME = "statefulset.kubernetes.io/pod-name";

  /** The weight of a chosen pod, the most Kruise allows. */
  static final int CHOSEN_WEIGHT = 100;

  /** The weight of the other pods to update: after the chosen ones, before the rest. */
  static final int UPDATED_WEIGHT = 50;

  enum Mode {
    PARTITION,
    KRUISE_PRIORITY,
    ON_DELETE
  }

  private UpdateStrategies() {}

  static Mode mode(AppWorkload w, boolean kruise) {
    if (w.updatedFirst().isEmpty()) {
      return Mode.PARTITION;
    }
    return kruise ? Mode.KRUISE_PRIORITY : Mode.ON_DELETE;
  }

  /** The update strategy of a plain StatefulSet. */
  static StatefulSetUpdateStrategy plain(AppWorkload w) {
    if (mode(w, false) == Mode.ON_DELETE) {
      return new StatefulSetUpdateStrategyBuilder().withType("OnDelete").build();
    }
    return new StatefulSetUpdateStrategyBuilder()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withPartition(w.partition())
        .endRollingUpdate()
        .build();
  }

  /**
   * The {@code spec.updateStrategy} of an Advanced StatefulSet, as the generic map it is written
   * as.
   */
  static Map<String, Object> kruise(AppWorkload w) {
    Map<String, Object> rolling = new LinkedHashMap<>();
    Map<String, Object> strategy = new LinkedHashMap<>();
    strategy.put("type", "RollingUpdate");
    strategy.put("rollingUpdate", rolling);
    if (mode(w, true) == Mode.PARTITION) {
      rolling.put("partition", w.partition());
      return strategy;
    }
    List<String> chosen = new ArrayList<>();
    List<String> others = new ArrayList<>();
    int kept = 0;
    for (int o : w.ordinals()) {
      if (!w.updated(o)) {
        kept++;
      } else if (w.updatedFirst().contains(o)) {
        chosen.add(InstanceIds.id(w.app(), o));
      } else {
        others.add(InstanceIds.id(w.app(), o));
      }
    }
    List<Map<String, Object>> weights = new ArrayList<>();
    if (!chosen.isEmpty()) {
      weights.add(weight(CHOSEN_WEIGHT, chosen));
    }
    if (!others.isEmpty()) {
      weights.add(weight(UPDATED_WEIGHT, others));
    }
    rolling.put("partition", kept);
    rolling.put("unorderedUpdate", Map.of("priorityStrategy", Map.of("weightPriority", weights)));
    return strategy;
  }

  private static Map<String, Object> weight(int weight, List<String> pods) {
    Map<String, Object> expression = new LinkedHashMap<>();
    expression.put("key", POD_NAME);
    expression.put("operator", "In");
    expression.put("values", List.copyOf(pods));
    Map<String, Object> term = new LinkedHashMap<>();
    term.put("weight", weight);
    term.put("matchSelector", Map.of("matchExpressions", List.of(expression)));
    return term;
  }
}
