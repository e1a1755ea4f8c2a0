package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.InstanceState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The next step of an update Berth drives itself on a StatefulSet with {@code OnDelete} ({@link
 * UpdateStrategies.Mode#ON_DELETE}): which one pod to delete so that the StatefulSet recreates it
 * from the update revision, or why to wait. Pure; no I/O.
 *
 * <p>One instance at a time: nothing is deleted while an instance is stopping, a wanted instance is
 * missing, or an instance that already runs the right revision is not ready. Among the instances
 * still to update, those that are not ready go first (replacing them costs no availability), then
 * the chosen ones ({@link AppWorkload#updatedFirst}, lowest ordinal first), then the others from
 * the highest ordinal down, as the StatefulSet controller itself would.
 */
final class InstanceUpdates {
  private InstanceUpdates() {}

  /** What to do next. */
  sealed interface Step {
    /** Delete this instance's pod; {@code chosen} when it was chosen to go first. */
    record Replace(int ordinal, String id, boolean chosen) implements Step {}

    /** Nothing to delete yet, for this reason. */
    record Wait(String reason) implements Step {}

    /** Every instance runs the revision the workload wants of it. */
    record Done() implements Step {}
  }

  static Step next(AppWorkload w, List<Instance> observed) {
    Map<Integer, Instance> byOrdinal = new HashMap<>();
    for (Instance i : observed) {
      byOrdinal.put(i.ordinal(), i);
    }
    for (Instance i : observed) {
      if (i.state() == InstanceState.STOPPING) {
        return new Step.Wait(i.id() + " is stopping");
      }
    }
    List<Instance> stale = new ArrayList<>();
    for (int o : w.ordinals()) {
      Instance i = byOrdinal.get(o);
      if (i == null) {
        return new Step.Wait(InstanceIds.id(w.app(), o) + " does not exist yet");
      }
      if (w.updated(o) && i.revision() != w.updateRevision()) {
        stale.add(i);
      } else if (!i.ready()) {
        return new Step.Wait(i.id() + " is not ready");
      }
    }
    if (stale.isEmpty()) {
      return new Step.Done();
    }
    Instance first = stale.stream().min(order(w)).orElseThrow();
    return new Step.Replace(
        first.ordinal(), first.id(), w.updatedFirst().contains(first.ordinal()));
  }

  private static Comparator<Instance> order(AppWorkload w) {
    return Comparator.comparing((Instance i) -> i.ready())
        .thenComparing(i -> !w.updatedFirst().contains(i.ordinal()))
        .thenComparingInt(i -> w.updatedFirst().contains(i.ordinal()) ? i.ordinal() : -i.ordinal());
  }
}
