package dev.berth.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceSlot;
import dev.berth.core.runtime.InstanceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutTest {
  static final AppSpec V1 = new AppSpec("reg/app:1", null, null, null, null, null, null, null);
  static final AppSpec V2 = new AppSpec("reg/app:2", null, null, null, null, null, null, null);

  static App app(
      int instances, long revision, AppSpec spec, AppStatus status, Set<Integer> reserved) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new App(
        "web", "team", "me", "local", spec, revision, instances, reserved, false, 1, status, t, t);
  }

  static Instance inst(int ordinal, long revision, boolean ready) {
    return new Instance(
        "web-" + ordinal,
        "web",
        ordinal,
        "host",
        "10.0.0." + ordinal,
        "h",
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
  void newAppRunsEveryInstanceOnItsFirstRevisionAndIsPendingUntilReady() {
    Rollout.Plan plan =
        Rollout.plan(app(2, 1, V1, AppStatus.initial(2), Set.of()), null, List.of());
    assertThat(plan.workload().slots()).extracting(InstanceSlot::revision).containsExactly(1L, 1L);
    assertThat(plan.status().phase()).isEqualTo(AppPhase.PENDING);
    assertThat(plan.settled()).isFalse();
  }

  @Test
  void appIsRunningOnceEveryInstanceIsReady() {
    Rollout.Plan plan =
        Rollout.plan(
            app(2, 1, V1, AppStatus.initial(2), Set.of()),
            null,
            List.of(inst(0, 1, true), inst(1, 1, true)));
    assertThat(plan.status().phase()).isEqualTo(AppPhase.RUNNING);
    assertThat(plan.status().revision()).isEqualTo(1);
    assertThat(plan.status().ready()).isEqualTo(2);
    assertThat(plan.settled()).isTrue();
  }

  @Test
  void newRevisionReplacesOneInstanceAtATimeFromTheHighestOrdinal() {
    AppStatus running = new AppStatus(AppPhase.RUNNING, 3, 3, 1, 1, 0, "");
    List<Instance> observed =
        new ArrayList<>(List.of(inst(0, 1, true), inst(1, 1, true), inst(2, 1, true)));
    Rollout.Plan p1 = Rollout.plan(app(3, 2, V2, running, Set.of()), V1, observed);
    assertThat(p1.transition()).isEqualTo("RolloutStarted");
    assertThat(p1.workload().slots())
        .extracting(InstanceSlot::revision)
        .containsExactly(1L, 1L, 2L);
    assertThat(p1.status().phase()).isEqualTo(AppPhase.PROGRESSING);

    // Ordinal 2 replaced but not ready yet: the partition holds.
    observed.set(2, inst(2, 2, false));
    Rollout.Plan p2 = Rollout.plan(app(3, 2, V2, p1.status(), Set.of()), V1, observed);
    assertThat(p2.workload().slots())
        .extracting(InstanceSlot::revision)
        .containsExactly(1L, 1L, 2L);

    observed.set(2, inst(2, 2, true));
    Rollout.Plan p3 = Rollout.plan(app(3, 2, V2, p2.status(), Set.of()), V1, observed);
    assertThat(p3.workload().slots())
        .extracting(InstanceSlot::revision)
        .containsExactly(1L, 2L, 2L);

    observed.set(1, inst(1, 2, true));
    Rollout.Plan p4 = Rollout.plan(app(3, 2, V2, p3.status(), Set.of()), V1, observed);
    assertThat(p4.workload().slots())
        .extracting(InstanceSlot::revision)
        .containsExactly(2L, 2L, 2L);

    observed.set(0, inst(0, 2, true));
    Rollout.Plan p5 = Rollout.plan(app(3, 2, V2, p4.status(), Set.of()), V1, observed);
    assertThat(p5.transition()).isEqualTo("RolloutComplete");
    assertThat(p5.status().revision()).isEqualTo(2);
    assertThat(p5.status().phase()).isEqualTo(AppPhase.RUNNING);
    assertThat(p5.settled()).isTrue();
  }

  @Test
  void reservedOrdinalsStayFree() {
    Rollout.Plan plan =
        Rollout.plan(app(2, 1, V1, AppStatus.initial(2), Set.of(0)), null, List.of());
    assertThat(plan.workload().slots()).extracting(InstanceSlot::ordinal).containsExactly(1, 2);
  }

  @Test
  void crashLoopingInstanceMakesTheAppDegradedWithItsMessage() {
    Instance crashing =
        new Instance(
            "web-1",
            "web",
            1,
            "h",
            "ip",
            "h",
            1,
            InstanceState.BACKOFF,
            false,
            4,
            null,
            null,
            true,
            "exited with code 1");
    AppStatus running = new AppStatus(AppPhase.RUNNING, 2, 2, 1, 1, 0, "");
    Rollout.Plan plan =
        Rollout.plan(app(2, 1, V1, running, Set.of()), null, List.of(inst(0, 1, true), crashing));
    assertThat(plan.status().phase()).isEqualTo(AppPhase.DEGRADED);
    assertThat(plan.status().message()).contains("web-1").contains("exited with code 1");
  }

  @Test
  void scaledToZeroIsStoppedOnceInstancesAreGone() {
    AppStatus running = new AppStatus(AppPhase.RUNNING, 1, 1, 1, 1, 0, "");
    assertThat(
            Rollout.plan(app(0, 1, V1, running, Set.of()), null, List.of(inst(0, 1, true)))
                .status()
                .phase())
        .isEqualTo(AppPhase.PROGRESSING);
    assertThat(Rollout.plan(app(0, 1, V1, running, Set.of()), null, List.of()).status().phase())
        .isEqualTo(AppPhase.STOPPED);
  }
}
