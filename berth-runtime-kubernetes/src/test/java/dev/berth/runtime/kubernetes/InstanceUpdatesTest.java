package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The next pod Berth deletes in an update it drives itself on an {@code OnDelete} StatefulSet. */
class InstanceUpdatesTest {
  static final AppWorkload BASTION_CHOSEN = Specs.release("web", 4, 4, 1);

  static Instance instance(int ordinal, long revision, boolean ready, InstanceState state) {
    return new Instance(
        "web-" + ordinal,
        "web",
        ordinal,
        "node-1",
        "10.1.0." + ordinal,
        "192.168.0.1",
        revision,
        state,
        ready,
        0,
        null,
        null,
        true,
        "");
  }

  static List<Instance> all(long... revisions) {
    List<Instance> out = new ArrayList<>();
    for (int o = 0; o < revisions.length; o++) {
      out.add(instance(o, revisions[o], true, InstanceState.RUNNING));
    }
    return out;
  }

  @Test
  void theChosenInstanceGoesFirstEvenBelowThePartition() {
    assertThat(InstanceUpdates.next(BASTION_CHOSEN, all(1, 1, 1, 1)))
        .isEqualTo(new InstanceUpdates.Step.Replace(1, "web-1", true));
  }

  @Test
  void afterTheChosenOnesTheOthersGoFromTheHighestOrdinalDown() {
    AppWorkload batch = Specs.release("web", 5, 3, 2, 0);
    assertThat(InstanceUpdates.next(batch, all(1, 1, 1, 1, 1)))
        .isEqualTo(new InstanceUpdates.Step.Replace(0, "web-0", true));
    assertThat(InstanceUpdates.next(batch, all(2, 1, 1, 1, 1)))
        .isEqualTo(new InstanceUpdates.Step.Replace(2, "web-2", true));
    assertThat(InstanceUpdates.next(batch, all(2, 1, 2, 1, 1)))
        .isEqualTo(new InstanceUpdates.Step.Replace(4, "web-4", false));
    assertThat(InstanceUpdates.next(batch, all(2, 1, 2, 1, 2)))
        .isEqualTo(new InstanceUpdates.Step.Replace(3, "web-3", false));
    assertThat(InstanceUpdates.next(batch, all(2, 1, 2, 2, 2)))
        .as("ordinal 1 stays on the current revision")
        .isEqualTo(new InstanceUpdates.Step.Done());
  }

  @Test
  void waitsWhileAnUpdatedInstanceIsNotReadyIsStoppingOrMissing() {
    List<Instance> notReady = all(1, 2, 1, 1);
    notReady.set(1, instance(1, 2, false, InstanceState.RUNNING));
    AppWorkload next = Specs.release("web", 4, 3, 1);
    assertThat(InstanceUpdates.next(next, notReady))
        .isEqualTo(new InstanceUpdates.Step.Wait("web-1 is not ready"));

    List<Instance> stopping = all(1, 1, 1, 1);
    stopping.set(1, instance(1, 1, false, InstanceState.STOPPING));
    assertThat(InstanceUpdates.next(next, stopping))
        .isEqualTo(new InstanceUpdates.Step.Wait("web-1 is stopping"));

    List<Instance> missing = new ArrayList<>(all(1, 1, 1, 1));
    missing.remove(1);
    assertThat(InstanceUpdates.next(next, missing))
        .isEqualTo(new InstanceUpdates.Step.Wait("web-1 does not exist yet"));
  }

  @Test
  void aBrokenInstanceThatMustMoveAnywayGoesBeforeAHealthyOne() {
    List<Instance> observed = all(1, 1, 1, 1);
    observed.set(3, instance(3, 1, false, InstanceState.BACKOFF));
    AppWorkload w = Specs.release("web", 4, 3, 1);
    assertThat(InstanceUpdates.next(w, observed))
        .isEqualTo(new InstanceUpdates.Step.Replace(3, "web-3", false));
  }

  @Test
  void aPausedReleaseWhoseInstancesAllRunTheirRevisionHasNothingToDo() {
    assertThat(InstanceUpdates.next(BASTION_CHOSEN, all(1, 2, 1, 1)))
        .isEqualTo(new InstanceUpdates.Step.Done());
  }
}
