package dev.berth.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.node.Drain.Item;
import dev.berth.core.node.Drain.Phase;
import dev.berth.core.node.DrainPlanner.Action;
import dev.berth.core.node.DrainPlanner.AppState;
import dev.berth.core.node.DrainPlanner.Inputs;
import dev.berth.core.node.DrainPlanner.Kind;
import dev.berth.core.node.DrainPlanner.Plan;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The drain planner's decisions, pure: budget, unready instances, surge, deadline. */
class DrainPlannerTest {
  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  static Instance instance(int ordinal, String node, boolean ready) {
    return new Instance(
        "web-" + ordinal,
        "web",
        ordinal,
        node,
        "10.0.0." + ordinal,
        null,
        1,
        ready ? InstanceState.RUNNING : InstanceState.BACKOFF,
        ready,
        0,
        null,
        null,
        true,
        "");
  }

  static Drain drain(boolean surge, Item... items) {
    return new Drain(
        "c",
        "n1",
        surge,
        T0,
        T0.plusSeconds(600),
        Drain.State.RUNNING,
        null,
        "root",
        List.of(items));
  }

  static Plan plan(Drain d, int wanted, int maxUnavailable, int otherNodes, Instance... is) {
    return DrainPlanner.plan(
        new Inputs(
            d,
            Map.of("web", new AppState("web", wanted, maxUnavailable, List.of(is))),
            otherNodes,
            Set.of(),
            T0.plusSeconds(5)));
  }

  static List<String> actions(Plan p) {
    return p.actions().stream().map(a -> a.kind() + " " + a.next().instance()).toList();
  }

  @Test
  void theBudgetLetsAsManyGoAsMaxUnavailableAndNamesWhyTheOthersWait() {
    Plan p =
        plan(
            drain(false),
            3,
            2,
            1,
            instance(0, "n1", true),
            instance(1, "n1", true),
            instance(2, "n1", true));
    assertThat(actions(p)).containsExactly("TAKE_OFFLINE web-0", "TAKE_OFFLINE web-1");
    assertThat(p.drain().instances().get(2).blockedReason())
        .isEqualTo(
            "disruption budget of app web allows no more unavailable instances: maxUnavailable 2,"
                + " 2 unavailable now");
  }

  @Test
  void anInstanceElsewhereThatIsNotReadyCountsAgainstTheBudget() {
    Plan p = plan(drain(false), 2, 1, 1, instance(0, "n2", false), instance(1, "n1", true));
    assertThat(p.actions()).isEmpty();
    assertThat(p.drain().instances()).singleElement().matches(i -> i.phase() == Phase.WAITING);
  }

  @Test
  void anInstanceNotReadyOnTheNodeGoesWhateverTheBudget() {
    Plan p = plan(drain(false), 2, 0, 1, instance(0, "n1", false), instance(1, "n1", true));
    assertThat(actions(p)).containsExactly("TAKE_OFFLINE web-0");
  }

  @Test
  void surgeAsksForOneMoreInstanceFirstAndOnlyWhenAnotherNodeCanTakeIt() {
    assertThat(actions(plan(drain(true), 1, 0, 1, instance(0, "n1", true))))
        .containsExactly("SURGE web-0");
    assertThat(actions(plan(drain(true), 1, 1, 0, instance(0, "n1", true))))
        .containsExactly("TAKE_OFFLINE web-0");
    Drain surging = drain(true, new Item("web", 0, Phase.SURGING, true, null));
    assertThat(actions(plan(surging, 1, 0, 1, instance(0, "n1", true), instance(1, "n2", false))))
        .isEmpty();
    assertThat(actions(plan(surging, 1, 0, 1, instance(0, "n1", true), instance(1, "n2", true))))
        .containsExactly("TAKE_OFFLINE web-0");
  }

  @Test
  void atTheDeadlineItStopsPutsOfflineInstancesBackAndRemovesSurges() {
    Drain d =
        drain(
            true,
            new Item("web", 0, Phase.OFFLINE, true, "offline; waiting for requests in flight"),
            new Item("web", 1, Phase.WAITING, false, "budget"));
    Plan p =
        DrainPlanner.plan(
            new Inputs(
                d,
                Map.of("web", new AppState("web", 2, 1, List.of(instance(0, "n1", true)))),
                1,
                Set.of(),
                T0.plusSeconds(600)));
    assertThat(p.drain().state()).isEqualTo(Drain.State.STOPPED_AT_DEADLINE);
    assertThat(p.actions()).extracting(Action::kind).containsExactly(Kind.RESTORE, Kind.UNSURGE);
    assertThat(p.drain().endedAt()).isEqualTo(T0.plusSeconds(600));
  }
}
