package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.InstanceIds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What OpenKruise's Advanced StatefulSet controller updates with the strategy Berth writes for
 * instances chosen to go first. The choice is a test-side port of Kruise's {@code sortPodsToUpdate}
 * with its weight priority sorter (pods already updated count first, then the waiting ones by the
 * sum of their weights, ties to the higher ordinal; {@code replicas - partition} in all): it must
 * pick exactly the ordinals the workload says are updated, the chosen ones before the others.
 */
class KruiseUpdateOrderTest {
  @Test
  void kruiseUpdatesExactlyTheUpdatedOrdinalsChosenOnesFirst() {
    AppWorkload w =
        new AppWorkload(
            "web",
            6,
            Set.of(2),
            1,
            Specs.minimal("img:1"),
            2,
            Specs.minimal("img:2"),
            5,
            Set.of(0, 3));
    List<Integer> order = kruiseOrder(w, Set.of());
    assertThat(new TreeSet<>(order)).containsExactly(0, 3, 5, 6);
    assertThat(order.subList(0, 2)).containsExactlyInAnyOrder(0, 3);
  }

  @Test
  void podsAlreadyUpdatedCountSoTheRestStillMatchesTheWorkload() {
    AppWorkload w = Specs.release("web", 5, 3, 1);
    assertThat(new TreeSet<>(kruiseOrder(w, Set.of(1, 4)))).containsExactly(1, 3, 4);
    assertThat(new TreeSet<>(kruiseOrder(w, Set.of()))).containsExactly(1, 3, 4);
  }

  /** The ordinals Kruise updates, in its order, when {@code updated} already run the update. */
  @SuppressWarnings("unchecked")
  static List<Integer> kruiseOrder(AppWorkload w, Set<Integer> updated) {
    Map<String, Object> rolling =
        (Map<String, Object>) UpdateStrategies.kruise(w).get("rollingUpdate");
    int maxUpdate = w.instances() - (Integer) rolling.get("partition");
    List<Map<String, Object>> weights =
        (List<Map<String, Object>>)
            ((Map<String, Object>)
                    ((Map<String, Object>) rolling.get("unorderedUpdate")).get("priorityStrategy"))
                .get("weightPriority");
    List<Integer> done = new ArrayList<>();
    List<Integer> waiting = new ArrayList<>();
    for (int o : w.ordinals().reversed()) {
      (updated.contains(o) ? done : waiting).add(o);
    }
    waiting.sort(
        Comparator.comparingInt((Integer o) -> -weight(weights, InstanceIds.id(w.app(), o)))
            .thenComparing(Comparator.reverseOrder()));
    List<Integer> all = new ArrayList<>(done);
    all.addAll(waiting);
    return List.copyOf(all.subList(0, Math.min(all.size(), maxUpdate)));
  }

  @SuppressWarnings("unchecked")
  private static int weight(List<Map<String, Object>> terms, String pod) {
    int sum = 0;
    for (Map<String, Object> t : terms) {
      var selector = (Map<String, Object>) t.get("matchSelector");
      var expression = ((List<Map<String, Object>>) selector.get("matchExpressions")).getFirst();
      assertThat(expression)
          .containsEntry("key", UpdateStrategies.POD_NAME)
          .containsEntry("operator", "In");
      if (((List<String>) expression.get("values")).contains(pod)) {
        sum += (Integer) t.get("weight");
      }
    }
    return sum;
  }
}
