package dev.berth.core.app;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The pure part of the app controller: from desired state, status and observed instances, decide
 * the workload to apply and the new status. No I/O, so every rule is unit-tested on its own.
 *
 * <p>A new revision rolls out one instance at a time from the highest ordinal down, like a
 * StatefulSet's partition: the partition moves down past an ordinal only when that instance runs
 * the new revision and every instance is ready.
 */
public final class Rollout {
  private Rollout() {}

  /** The decision of one pass: what to apply and what status to record. */
  public record Plan(AppWorkload workload, AppStatus status, boolean settled, String transition) {}

  /**
   * As {@link #plan(App, AppSpec, List, Instant)} without judging how long instances have been
   * unready.
   */
  public static Plan plan(App app, AppSpec currentSpec, List<Instance> observed) {
    return plan(app, currentSpec, observed, null);
  }

  /**
   * The status's {@code since} is left null: the controller carries it over ({@link
   * AppStatus#since}).
   *
   * @param currentSpec the spec of {@code status.revision()}, or null when no revision was ever
   *     reached
   * @param now the time to judge instances that stay unready for long by ({@link Diagnosis}); null
   *     to not judge
   */
  public static Plan plan(App app, AppSpec currentSpec, List<Instance> observed, Instant now) {
    AppStatus s = app.status();
    long target = app.revision();
    Map<Integer, Instance> byOrdinal =
        observed.stream()
            .collect(Collectors.toMap(Instance::ordinal, Function.identity(), (a, b) -> a));
    AppWorkload probe =
        AppWorkload.settled(
            app.name(), app.instances(), app.reservedOrdinals(), target, app.spec());
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
      workload =
          new AppWorkload(
              app.name(),
              app.instances(),
              app.reservedOrdinals(),
              s.revision(),
              currentSpec,
              target,
              app.spec(),
              partition);
    } else {
      workload = probe;
    }

    int ready =
        (int) ordinals.stream().map(byOrdinal::get).filter(i -> i != null && i.ready()).count();
    boolean reached =
        ordinals.stream()
            .allMatch(
                o -> {
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
    Diagnosis why =
        Diagnosis.of(
            app,
            ordinals,
            byOrdinal,
            rolling && revision != target,
            reached && !extra && revision == target,
            revision,
            now);
    // a degraded app is looked at again soon even when every instance happens to be ready right now
    boolean settled = reached && !extra && revision == target && why.phase() != AppPhase.DEGRADED;
    AppStatus next =
        new AppStatus(
            why.phase(),
            ready,
            app.instances(),
            revision,
            target,
            partition,
            why.message(),
            why.reason(),
            null);
    return new Plan(workload, next, settled, transition);
  }

  /**
   * The plan of an app whose revision a release drives ({@link RolloutDriver}): the release's
   * workload as it is, and the status it leads to. The status's {@code revision} is the stable
   * revision, {@code updateRevision} and {@code partition} the workload's.
   */
  public static Plan driven(App app, RolloutDriver.Driven d, List<Instance> observed, Instant now) {
    AppWorkload w = d.workload();
    Map<Integer, Instance> byOrdinal =
        observed.stream()
            .collect(Collectors.toMap(Instance::ordinal, Function.identity(), (a, b) -> a));
    List<Integer> ordinals = w.ordinals();
    int ready =
        (int) ordinals.stream().map(byOrdinal::get).filter(i -> i != null && i.ready()).count();
    boolean reached =
        ordinals.stream()
            .allMatch(
                o -> {
                  Instance i = byOrdinal.get(o);
                  return i != null
                      && i.ready()
                      && i.revision() == (w.updated(o) ? w.updateRevision() : w.currentRevision());
                });
    boolean extra = observed.stream().anyMatch(i -> !ordinals.contains(i.ordinal()));
    boolean rolling = d.stableRevision() != w.updateRevision();
    Diagnosis why =
        Diagnosis.of(
            app,
            ordinals,
            byOrdinal,
            rolling,
            reached && !extra && !rolling,
            d.stableRevision(),
            now);
    boolean settled = d.settled() && reached && !extra && why.phase() != AppPhase.DEGRADED;
    AppStatus next =
        new AppStatus(
            why.phase(),
            ready,
            app.instances(),
            d.stableRevision(),
            w.updateRevision(),
            rolling ? w.partition() : 0,
            why.message(),
            why.reason(),
            null);
    return new Plan(w, next, settled, null);
  }

  private static boolean allReady(
      List<Integer> ordinals,
      Map<Integer, Instance> byOrdinal,
      int partition,
      long current,
      long target) {
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
}
