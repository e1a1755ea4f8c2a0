package dev.berth.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.App;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStatus;
import dev.berth.core.release.ReleaseStrategy.Batches;
import dev.berth.core.release.ReleaseStrategy.Promotion;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.support.Errors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The release planner and the strategy's arithmetic on their own: no runtime, a moving clock. */
class ReleasePlannerTest {
  static final AppSpec V1 = new AppSpec("r/web:1", null, null, null, null, null, null, null);
  static final AppSpec V2 = new AppSpec("r/web:2", null, null, null, null, null, null, null);
  Instant now = Instant.parse("2026-12-03T10:00:00Z");

  static App app(int instances) {
    return App.builder()
        .name("web")
        .cluster("local")
        .spec(V2)
        .revision(2)
        .instances(instances)
        .status(new AppStatus(null, instances, instances, 1, 2, instances, ""))
        .build();
  }

  static Instance instance(int ordinal, long revision, boolean ready) {
    return new Instance(
        "web-" + ordinal,
        "web",
        ordinal,
        "node",
        "10.0.0." + ordinal,
        null,
        revision,
        InstanceState.RUNNING,
        ready,
        0,
        null,
        null,
        true,
        "");
  }

  @Test
  void strategiesSplitInstancesIntoCumulativeBatchTargets() {
    ReleaseStrategy d = ReleaseStrategy.DEFAULT;
    assertThat(d.targets(4)).containsExactly(1, 2, 3, 4);
    assertThat(d.targets(10)).containsExactly(1, 4, 7, 10);
    assertThat(d.targets(1)).containsExactly(1);
    assertThat(d.targets(0)).isEmpty();
    ReleaseStrategy size =
        new ReleaseStrategy(2, Batches.size(3), null, null, null, null, null, null);
    assertThat(size.targets(10)).containsExactly(2, 5, 8, 10);
    ReleaseStrategy pct =
        new ReleaseStrategy(0, Batches.percentages(25, 25, 50), null, null, null, null, null, null);
    assertThat(pct.targets(20)).containsExactly(5, 10, 20);
    assertThat(ReleaseStrategy.allAtOnce(5).targets(5)).containsExactly(5);
  }

  @Test
  void checksNameTheFieldAndTheFix() {
    Errors e = new Errors();
    new ReleaseStrategy(5, Batches.percentages(50, 20), null, -1, 0, -3, null, null)
        .check(4, "strategy.", e);
    assertThat(e.list())
        .extracting(f -> f.field())
        .containsExactly(
            "strategy.bastion",
            "strategy.batches.percentages",
            "strategy.soakSeconds",
            "strategy.maxUnavailable",
            "strategy.batchDeadlineSeconds");
  }

  @Test
  void anAppScaledToZeroReleasesWithTheDefaultStrategy() {
    Errors none = new Errors();
    ReleaseStrategy.DEFAULT.check(0, "strategy.", none);
    assertThat(none.list()).as("the default bastion of 1 is no error for 0 instances").isEmpty();
    Errors two = new Errors();
    new ReleaseStrategy(2, null, null, null, null, null, null, null).check(1, "strategy.", two);
    assertThat(two.list()).extracting(f -> f.field()).containsExactly("strategy.bastion");
  }

  @Test
  void updatedOrdinalsMapToAPartitionPlusTheOnesChosenFirst() {
    AppWorkload w = ReleasePlanner.workload(app(5), 1, V1, 2, V2, Set.of(4, 3, 0));
    assertThat(w.partition()).isEqualTo(3);
    assertThat(w.updatedFirst()).containsExactly(0);
    AppWorkload none = ReleasePlanner.workload(app(5), 1, V1, 2, V2, Set.of());
    assertThat(none.partition()).isEqualTo(5);
    assertThat(none.updatedFirst()).isEmpty();
  }

  @Test
  void autoPromotionWaitsForTheSoakBeforeTheNextBatch() {
    ReleaseStrategy s =
        new ReleaseStrategy(1, Batches.count(1), Promotion.AUTO, 30, null, 0, null, null);
    Release r = Release.start("web", 1, 2, s, 3, List.of(), List.of(), "bob", now);
    List<Instance> observed =
        new ArrayList<>(List.of(instance(0, 1, true), instance(1, 1, true), instance(2, 1, true)));

    ReleasePlanner.Step step = plan(r, observed, Set.of());
    assertThat(step.drain()).containsExactly("web-2");
    step = plan(step.release(), observed, Set.of(2));
    assertThat(step.workload().partition()).isEqualTo(2);
    observed.set(2, instance(2, 2, true));
    now = now.plusSeconds(5);
    step = plan(step.release(), observed, Set.of());
    assertThat(step.restore()).containsExactly("web-2");
    assertThat(step.release().batches().getFirst().readyAt()).isEqualTo(now);
    assertThat(step.drain()).as("soaking").isEmpty();
    now = now.plusSeconds(29);
    assertThat(plan(step.release(), observed, Set.of()).drain()).isEmpty();
    now = now.plusSeconds(1);
    ReleasePlanner.Step next = plan(step.release(), observed, Set.of());
    assertThat(next.release().batch()).isEqualTo(1);
    assertThat(next.drain()).containsExactly("web-1");
    assertThat(next.transitions())
        .extracting(ReleasePlanner.Transition::reason)
        .contains("BatchStarted");
  }

  @Test
  void aPlanThatChangesNothingReturnsTheSameRelease() {
    Release r =
        Release.start("web", 1, 2, ReleaseStrategy.DEFAULT, 2, List.of(), List.of(), "bob", now)
            .withState(ReleaseState.PAUSED, "PausedByHand", "paused", now);
    List<Instance> observed = List.of(instance(0, 1, true), instance(1, 1, true));
    now = now.plusSeconds(100);
    ReleasePlanner.Step step = plan(r, observed, Set.of());
    assertThat(step.release()).isSameAs(r);
    assertThat(step.settled()).isTrue();
  }

  ReleasePlanner.Step plan(Release r, List<Instance> observed, Set<Integer> drained) {
    return ReleasePlanner.plan(
        new ReleasePlanner.Input(app(observed.size()), r, V1, V2, observed, drained, now));
  }
}
