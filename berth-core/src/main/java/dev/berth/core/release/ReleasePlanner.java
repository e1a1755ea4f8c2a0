package dev.berth.core.release;

import dev.berth.core.app.App;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Diagnosis;
import dev.berth.core.app.Probe;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.InstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The pure part of a release, like {@code Rollout.plan}: from the app, its release, the instances
 * observed, the instances whose drain has finished and the time, decide the workload to apply, the
 * release's next state, the instances to take out of traffic or give back, and what happened.
 *
 * <p>Each instance goes draining → updating → updated: it is taken out of traffic first, handed to
 * the new revision only once drained, and counts for its batch once it is ready on the new revision
 * (then it goes back into traffic). At most {@code maxUnavailable} instances are draining, being
 * replaced or unready at once. A batch is done when the release has as many instances updated as
 * the batch's target; then the release goes on (automatic promotion, after the soak), waits
 * (manual) or succeeds (last batch). A batch instance that crash-loops, fails to start, stays
 * unready past its readiness window, or a batch past its deadline stops the release: paused with
 * the reason, or failed, which returns every updated instance like an abort.
 */
public final class ReleasePlanner {
  private ReleasePlanner() {}

  /** What one pass saw. {@code drained}: ordinals whose drain has finished. */
  public record Input(
      App app,
      Release release,
      AppSpec fromSpec,
      AppSpec toSpec,
      List<Instance> observed,
      Set<Integer> drained,
      Instant now) {}

  /** Something that happened, for an event: {@code warning} for failures. */
  public record Transition(String reason, String message, boolean warning) {}

  /**
   * The decision of one pass.
   *
   * @param drain instance ids to take out of traffic now (idempotent)
   * @param restore instance ids whose traffic may come back now
   * @param settled nothing will change without a control or an observation
   */
  public record Step(
      Release release,
      AppWorkload workload,
      List<Transition> transitions,
      List<String> drain,
      List<String> restore,
      boolean settled) {}

  public static Step plan(Input in) {
    return new Pass(in).run();
  }

  /** The workload for {@code app} with {@code updated} ordinals on the new revision. */
  public static AppWorkload workload(
      App app, long from, AppSpec fromSpec, long to, AppSpec toSpec, Set<Integer> updated) {
    List<Integer> ordinals =
        AppWorkload.settled(app.name(), app.instances(), app.reservedOrdinals(), to, toSpec)
            .ordinals();
    int partition = ordinals.isEmpty() ? 0 : ordinals.getLast() + 1;
    for (int o : ordinals.reversed()) {
      if (!updated.contains(o)) {
        break;
      }
      partition = o;
    }
    int p = partition;
    Set<Integer> first =
        updated.stream()
            .filter(o -> o < p && ordinals.contains(o))
            .collect(Collectors.toUnmodifiableSet());
    return new AppWorkload(
        app.name(),
        app.instances(),
        app.reservedOrdinals(),
        from,
        fromSpec,
        to,
        toSpec,
        partition,
        first);
  }

  /** One pass's working state. */
  private static final class Pass {
    final Input in;
    final Release r;
    final Instant now;
    final List<Integer> ordinals;
    final Map<Integer, Instance> byOrdinal;
    final Map<Integer, InstanceProgress> progress = new LinkedHashMap<>();
    final List<BatchProgress> batches;
    final List<Transition> transitions = new ArrayList<>();
    final List<String> drain = new ArrayList<>();
    final List<String> restore = new ArrayList<>();
    Release next;
    int batch;

    Pass(Input in) {
      this.in = in;
      this.r = in.release();
      this.now = in.now();
      App app = in.app();
      this.ordinals =
          AppWorkload.settled(app.name(), app.instances(), app.reservedOrdinals(), 0, app.spec())
              .ordinals();
      this.byOrdinal =
          in.observed().stream()
              .collect(Collectors.toMap(Instance::ordinal, Function.identity(), (a, b) -> a));
      for (InstanceProgress p : r.instances()) {
        if (ordinals.contains(p.ordinal())) {
          progress.put(p.ordinal(), p);
        } else {
          restore.add(p.instance());
        }
      }
      this.batches = new ArrayList<>(r.batches());
      this.batch = r.batch();
      this.next = r;
    }

    Step run() {
      advanceInstances();
      if (next.returning()) {
        returnInstances();
      } else {
        if (next.state() == ReleaseState.PROGRESSING) {
          failure().ifPresent(this::stop);
        }
        if (next.state() == ReleaseState.PROGRESSING) {
          progressBatches();
        }
        if (next.returning()) {
          returnInstances();
        }
      }
      next = next.withProgress(batch, batches, List.copyOf(progress.values()), now);
      if (next.returning() && progress.isEmpty()) {
        next = next.returned(now);
        transitions.add(
            new Transition(
                "ReleaseReturned",
                "every instance runs revision "
                    + r.fromRevision()
                    + " again; the release is "
                    + next.state(),
                false));
      }
      if (next.equals(r.withProgress(r.batch(), r.batches(), r.instances(), now))) {
        next = r;
      }
      return new Step(next, workload(), transitions, drain, restore, settled());
    }

    private AppWorkload workload() {
      App app = in.app();
      if (next.state() == ReleaseState.SUCCEEDED) {
        return AppWorkload.settled(
            app.name(), app.instances(), app.reservedOrdinals(), r.toRevision(), in.toSpec());
      }
      Set<Integer> updated =
          progress.values().stream()
              .filter(p -> p.phase().onNewRevision())
              .map(InstanceProgress::ordinal)
              .collect(Collectors.toSet());
      return ReleasePlanner.workload(
          app, r.fromRevision(), in.fromSpec(), r.toRevision(), in.toSpec(), updated);
    }

    private boolean settled() {
      if (!next.active()) {
        return true;
      }
      boolean moving = progress.values().stream().anyMatch(p -> p.phase() != InstancePhase.UPDATED);
      return next.state() == ReleaseState.PAUSED && !moving;
    }

    /** Moves each touched instance on as far as what was observed allows. */
    private void advanceInstances() {
      for (InstanceProgress p : List.copyOf(progress.values())) {
        Instance i = byOrdinal.get(p.ordinal());
        switch (p.phase()) {
          case DRAINING -> {
            if (r.state() == ReleaseState.PAUSED) {
              progress.remove(p.ordinal());
              restore.add(p.instance());
            } else if (in.drained().contains(p.ordinal())) {
              progress.put(p.ordinal(), p.to(InstancePhase.UPDATING, now));
            }
          }
          case UPDATING -> {
            if (runs(i, r.toRevision())) {
              progress.put(p.ordinal(), p.to(InstancePhase.UPDATED, now));
              restore.add(p.instance());
            }
          }
          case RETURNING -> {
            if (in.drained().contains(p.ordinal())) {
              progress.put(p.ordinal(), p.to(InstancePhase.REVERTING, now));
            }
          }
          case REVERTING -> {
            if (runs(i, r.fromRevision())) {
              progress.remove(p.ordinal());
              restore.add(p.instance());
            }
          }
          case UPDATED -> {}
        }
      }
    }

    private static boolean runs(Instance i, long revision) {
      return i != null && i.revision() == revision && i.ready();
    }

    /** Why the current batch cannot go on, if it cannot. */
    private Optional<Transition> failure() {
      Probe readiness = in.toSpec().health().readiness();
      for (InstanceProgress p : progress.values()) {
        Instance i = byOrdinal.get(p.ordinal());
        if (p.phase() != InstancePhase.UPDATING || i == null || i.revision() != r.toRevision()) {
          continue;
        }
        String what = i.id() + " on revision " + r.toRevision();
        if (i.state() == InstanceState.BACKOFF) {
          return failed("CrashLoopBackOff", what + " crash-loops: " + text(i, "exited"));
        }
        if (i.state() == InstanceState.FAILED) {
          return failed("FailedToStart", what + " cannot start: " + text(i, "failed"));
        }
        if (readiness != null
            && i.state() == InstanceState.RUNNING
            && !i.ready()
            && i.startedAt() != null
            && Duration.between(i.startedAt(), now).compareTo(Diagnosis.notReadyAfter(readiness))
                > 0) {
          return failed(
              "NotReady",
              what
                  + " has not passed its readiness probe for "
                  + Duration.between(i.startedAt(), now).toSeconds()
                  + "s");
        }
      }
      int deadline = r.strategy().batchDeadlineSeconds();
      BatchProgress b = batch < batches.size() ? batches.get(batch) : null;
      if (deadline > 0
          && b != null
          && b.startedAt() != null
          && b.readyAt() == null
          && !now.isBefore(b.startedAt().plusSeconds(deadline))) {
        return failed(
            "DeadlineExceeded",
            "batch "
                + batch
                + " was not ready within its deadline of "
                + deadline
                + "s ("
                + waitingFor()
                + ")");
      }
      return Optional.empty();
    }

    private String waitingFor() {
      List<String> ids =
          progress.values().stream()
              .filter(p -> p.phase() != InstancePhase.UPDATED)
              .map(InstanceProgress::instance)
              .toList();
      return ids.isEmpty() ? "no instance taken yet" : "waiting for " + String.join(", ", ids);
    }

    private static String text(Instance i, String otherwise) {
      return i.message() == null || i.message().isBlank() ? otherwise : i.message();
    }

    private static Optional<Transition> failed(String reason, String message) {
      return Optional.of(new Transition(reason, message, true));
    }

    private void stop(Transition why) {
      boolean fail = r.strategy().onFailure() == ReleaseStrategy.OnFailure.FAIL;
      String text =
          why.message()
              + (fail
                  ? "; the release failed and returns its instances to revision " + r.fromRevision()
                  : "; the release is paused: fix and resume, or abort");
      next =
          next.withState(fail ? ReleaseState.FAILED : ReleaseState.PAUSED, why.reason(), text, now);
      for (InstanceProgress p : List.copyOf(progress.values())) {
        if (p.phase() == InstancePhase.DRAINING) {
          progress.remove(p.ordinal());
          restore.add(p.instance());
        }
      }
      transitions.add(new Transition(fail ? "ReleaseFailed" : "ReleaseStopped", text, true));
    }

    /** Takes new instances for the current batch, and goes past batches that are done. */
    private void progressBatches() {
      ReleaseStrategy s = r.strategy();
      List<Integer> targets = s.targets(ordinals.size());
      if (targets.isEmpty()) {
        succeed();
        return;
      }
      List<Integer> order = ReleaseOrder.of(ordinals, r.first());
      while (true) {
        batch = Math.min(batch, targets.size() - 1);
        ensureBatch(batch, targets.get(batch));
        int target = targets.get(batch);
        takeInstances(order, target, s.maxUnavailable());
        boolean done =
            progress.size() >= target
                && progress.values().stream().allMatch(p -> p.phase() == InstancePhase.UPDATED);
        if (!done) {
          return;
        }
        BatchProgress b = batches.get(batch);
        if (b.readyAt() == null) {
          b = b.ready(now);
          batches.set(batch, b);
          if (batch < targets.size() - 1) {
            transitions.add(
                new Transition(
                    "BatchReady",
                    batchName(batch)
                        + " ready: "
                        + target
                        + " of "
                        + ordinals.size()
                        + " instance(s) run revision "
                        + r.toRevision(),
                    false));
          }
        }
        if (batch == targets.size() - 1) {
          batches.set(batch, b.finished(now));
          succeed();
          return;
        }
        if (s.promotion() == ReleaseStrategy.Promotion.MANUAL) {
          next =
              next.withState(
                  ReleaseState.PAUSED,
                  "AwaitingPromotion",
                  batchName(batch)
                      + " is ready ("
                      + target
                      + " of "
                      + ordinals.size()
                      + " instance(s) on revision "
                      + r.toRevision()
                      + "); promote to go on with batch "
                      + (batch + 1),
                  now);
          transitions.add(new Transition("ReleasePaused", next.message(), false));
          return;
        }
        if (now.isBefore(b.readyAt().plusSeconds(s.soakSeconds()))) {
          return;
        }
        batches.set(batch, b.finished(now));
        batch++;
      }
    }

    private void ensureBatch(int index, int target) {
      while (batches.size() <= index) {
        batches.add(new BatchProgress(batches.size(), target, null, null, null));
      }
      BatchProgress b = batches.get(index);
      if (b.target() != target) {
        b = new BatchProgress(index, target, b.startedAt(), b.readyAt(), b.finishedAt());
        batches.set(index, b);
      }
      if (b.startedAt() == null) {
        batches.set(index, b.started(now));
        if (index > 0) {
          transitions.add(
              new Transition(
                  "BatchStarted",
                  batchName(index)
                      + " started: up to "
                      + target
                      + " instance(s) on revision "
                      + r.toRevision(),
                  false));
        }
      }
    }

    private void takeInstances(List<Integer> order, int target, int maxUnavailable) {
      long busy =
          progress.values().stream().filter(p -> p.phase() != InstancePhase.UPDATED).count()
              + ordinals.stream()
                  .filter(o -> !progress.containsKey(o))
                  .map(byOrdinal::get)
                  .filter(i -> i == null || !i.ready())
                  .count();
      for (int o : order) {
        if (progress.size() >= target || busy >= maxUnavailable) {
          return;
        }
        if (!progress.containsKey(o)) {
          String id = InstanceIds.id(in.app().name(), o);
          progress.put(o, new InstanceProgress(o, id, InstancePhase.DRAINING, now));
          drain.add(id);
          busy++;
        }
      }
    }

    private String batchName(int index) {
      return index == 0 && r.strategy().bastion() > 0 ? "the bastion" : "batch " + index;
    }

    private void succeed() {
      next =
          next.withState(
              ReleaseState.SUCCEEDED,
              "Succeeded",
              "every instance runs revision " + r.toRevision(),
              now);
      transitions.add(new Transition("ReleaseSucceeded", next.message(), false));
    }

    /** Returns updated instances to the from-revision, the most recent first. */
    private void returnInstances() {
      long busy =
          progress.values().stream()
              .filter(
                  p -> p.phase() == InstancePhase.RETURNING || p.phase() == InstancePhase.REVERTING)
              .count();
      for (InstanceProgress p : List.copyOf(progress.values()).reversed()) {
        if (p.phase() == InstancePhase.DRAINING) {
          progress.remove(p.ordinal());
          restore.add(p.instance());
        }
      }
      for (InstanceProgress p : List.copyOf(progress.values()).reversed()) {
        if (busy >= r.strategy().maxUnavailable()) {
          return;
        }
        if (p.phase() == InstancePhase.UPDATING || p.phase() == InstancePhase.UPDATED) {
          progress.put(p.ordinal(), p.to(InstancePhase.RETURNING, now));
          drain.add(p.instance());
          busy++;
        }
      }
    }
  }
}
