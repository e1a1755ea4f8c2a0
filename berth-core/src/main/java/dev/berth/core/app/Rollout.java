package dev.berth.core.app;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The pure part of the app controller: from desired state, status and observed instances, decide the
 * workload to apply and the new status. No I/O, so every rule is unit-tested on its own.
 *
 * <p>A new revision rolls out one instance at a time from the highest ordinal down, like a
 * StatefulSet's partition: the partition moves down past an ordinal only when that instance runs the
 * new revision and every instance is ready.
 */
public final class Rollout {
  private Rollout() {}

  /** The decision of one pass: what to apply and what status to record. */
  public record Plan(AppWorkload workload, AppStatus status, boolean settled, String transition) {}

  /**
   * @param currentSpec the spec of {@code status.revision()}, or null when no revision was ever reached
   */
  public static Plan plan(App app, AppSpec currentSpec, List<Instance> observed) {
    AppStatus s = app.status();
    long target = app.revision();
    Map<Integer, Instance> byOrdinal = observed.stream().collect(Collectors.toMap(Instance::ordinal, Function.identity(), (a, b) -> a));
    AppWorkload probe = AppWorkload.settled(app.name(), app.instances(), app.reservedOrdinals(), target, app.spec());
    List<Integer> ordinals = probe.ordinals();

    AppWorkload workload;
    int partition = 0;
    String transition = null;
    boolean rolling = s.revision() != 0 && s.revision() != target && currentSpec != null;
    if (rolling) {
      int top = ordinals.isEmpty() ? 0 : ordinals.getLast() + 1;
      partition = s.updateRevision() == target ? Math.min(s.partition(), top) : top;
      if (s.updateRevision() != target) {
        transition = "RolloutStarted";
      }
      if (allReady(ordinals, byOrdinal, partition, s.revision(), target)) {
        partition = nextPartition(ordinals, partition);
      }
      workload = new AppWorkload(app.name(), app.instances(), app.reservedOrdinals(), s.revision(), currentSpec, target, app.spec(), partition);
    } else {
      workload = probe;
    }

    int ready = (int) ordinals.stream().map(byOrdinal::get).filter(i -> i != null && i.ready()).count();
    boolean reached = ordinals.stream().allMatch(o -> {
      Instance i = byOrdinal.get(o);
      return i != null && i.ready() && i.revision() == target;
    });
    boolean extra = observed.stream().anyMatch(i -> !ordinals.contains(i.ordinal()));
    long revision = s.revision();
    if (reached && (rolling ? partition <= (ordinals.isEmpty() ? 0 : ordinals.getFirst()) : true)) {
      if (s.revision() != target && s.revision() != 0) {
        transition = "RolloutComplete";
      }
      revision = target;
      partition = 0;
    }
    boolean settled = reached && !extra && revision == target;
    AppPhase phase = phase(app, ordinals, byOrdinal, revision, target, settled);
    String message = message(phase, ready, ordinals.size(), byOrdinal, ordinals);
    AppStatus next = new AppStatus(phase, ready, app.instances(), revision, target, partition, message);
    return new Plan(workload, next, settled, transition);
  }

  private static boolean allReady(List<Integer> ordinals, Map<Integer, Instance> byOrdinal, int partition, long current, long target) {
    for (int o : ordinals) {
      Instance i = byOrdinal.get(o);
      if (i == null || !i.ready()) {
        return false;
      }
      if (i.revision() != (o >= partition ? target : current)) {
        return false;
      }
    }
    return true;
  }

  private static int nextPartition(List<Integer> ordinals, int partition) {
    int next = 0;
    for (int o : ordinals) {
      if (o < partition) {
        next = o;
      }
    }
    return next;
  }

  private static AppPhase phase(App app, List<Integer> ordinals, Map<Integer, Instance> byOrdinal, long revision, long target, boolean settled) {
    if (app.deleting()) {
      return AppPhase.DELETING;
    }
    if (app.instances() == 0) {
      return settled ? AppPhase.STOPPED : AppPhase.PROGRESSING;
    }
    if (settled) {
      return AppPhase.RUNNING;
    }
    boolean troubled = ordinals.stream().map(byOrdinal::get).anyMatch(i -> i != null && (i.state() == dev.berth.core.runtime.InstanceState.BACKOFF || i.state() == dev.berth.core.runtime.InstanceState.FAILED));
    if (troubled) {
      return AppPhase.DEGRADED;
    }
    return revision == 0 ? AppPhase.PENDING : AppPhase.PROGRESSING;
  }

  private static String message(AppPhase phase, int ready, int desired, Map<Integer, Instance> byOrdinal, List<Integer> ordinals) {
    if (phase == AppPhase.DEGRADED) {
      return ordinals.stream()
          .map(byOrdinal::get)
          .filter(i -> i != null && i.message() != null && !i.message().isBlank() && !i.ready())
          .map(i -> i.id() + ": " + i.message())
          .findFirst()
          .orElse(ready + " of " + desired + " instances ready");
    }
    return ready + " of " + desired + " instances ready";
  }
}
