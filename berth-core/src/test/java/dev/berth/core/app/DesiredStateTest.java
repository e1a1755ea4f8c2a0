package dev.berth.core.app;

import static dev.berth.core.app.RolloutTest.V1;
import static dev.berth.core.app.RolloutTest.V2;
import static dev.berth.core.app.RolloutTest.app;
import static dev.berth.core.app.RolloutTest.inst;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.runtime.InstanceSlot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DesiredStateTest {
  @Test
  void keepsInstancesOnTheSpecOfTheRevisionTheyRunWhileARolloutIsUnderWay() {
    AppStatus onRevision1 = new AppStatus(AppPhase.RUNNING, 3, 3, 1, 1, 0, "");
    List<Long> asked = new ArrayList<>();
    Rollout.Plan plan =
        DesiredState.plan(
            app(3, 2, V2, onRevision1, Set.of()),
            revision -> {
              asked.add(revision);
              return Optional.of(V1);
            },
            List.of(inst(0, 1, true), inst(1, 1, true), inst(2, 1, true)),
            null);

    assertThat(asked).containsExactly(1L);
    assertThat(plan.workload().slots())
        .extracting(InstanceSlot::revision)
        .containsExactly(1L, 1L, 2L);
    assertThat(plan.workload().slots()).extracting(InstanceSlot::spec).containsExactly(V1, V1, V2);
  }

  @Test
  void looksUpNoRevisionWhenTheInstancesRunTheLatestOne() {
    AppStatus onRevision2 = new AppStatus(AppPhase.RUNNING, 2, 2, 2, 2, 0, "");
    Rollout.Plan plan =
        DesiredState.plan(
            app(2, 2, V2, onRevision2, Set.of()),
            revision -> {
              throw new AssertionError("asked for revision " + revision);
            },
            List.of(inst(0, 2, true), inst(1, 2, true)),
            null);

    assertThat(plan.workload().slots()).extracting(InstanceSlot::spec).containsExactly(V2, V2);
    assertThat(plan.settled()).isTrue();
  }
}
