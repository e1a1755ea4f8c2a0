package dev.berth.server.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.QosClass;
import dev.berth.core.app.Resources;
import dev.berth.core.node.NodeInfo.Capacity;
import dev.berth.core.node.NodeInfo.Taint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolFitTest {
  static final Resources HALF_CORE_256 = new Resources(0.5, 0, 256, CpuPolicy.SHARES, 0);

  @Test
  void eachNodeHoldsWhatItsScarcestResourceAllowsAndThePoolTheSum() {
    PoolFit fit =
        PoolFit.of(
            "web",
            "ssd",
            HALF_CORE_256,
            List.of(
                // 1.5 cores free -> 3; 4096 MiB free -> 16: cpu binds
                new PoolFit.Room("a", true, new Capacity(2, 4608, 110), new Capacity(0.5, 512, 2)),
                // 3 cores free -> 6; 512 MiB free -> 2: memory binds
                new PoolFit.Room("b", true, new Capacity(4, 1024, 110), new Capacity(1, 512, 1))));
    assertThat(fit.fits()).isEqualTo(5);
    assertThat(fit.nodes())
        .containsExactly(new PoolFit.NodeFit("a", 3, "cpu"), new PoolFit.NodeFit("b", 2, "memory"));
    assertThat(fit.perResource()).containsEntry("cpu", 9).containsEntry("memory", 18);
    assertThat(fit.perResource()).containsEntry("pods", 217);
    assertThat(fit.binding()).isEqualTo("cpu");
  }

  @Test
  void aBestEffortAppIsBoundByMemoryOrSlotsNotCpu() {
    Resources bestEffort = new Resources(0, 0, 64, CpuPolicy.SHARES, 0, QosClass.BEST_EFFORT);
    PoolFit fit =
        PoolFit.of(
            "batch",
            "all",
            bestEffort,
            List.of(new PoolFit.Room("a", true, new Capacity(1, 4096, 3), new Capacity(1, 0, 0))));
    assertThat(fit.perResource()).containsEntry("cpu", null);
    assertThat(fit.fits()).isEqualTo(3);
    assertThat(fit.binding()).isEqualTo("pods");
  }

  @Test
  void aCordonedNodeTakesNoneAndAPoolWithoutRoomNamesNoBinding() {
    PoolFit fit =
        PoolFit.of(
            "web",
            "ssd",
            HALF_CORE_256,
            List.of(new PoolFit.Room("a", false, new Capacity(8, 8192, 110), null)));
    assertThat(fit.fits()).isZero();
    assertThat(fit.nodes()).containsExactly(new PoolFit.NodeFit("a", 0, "unschedulable"));
    assertThat(fit.binding()).isNull();
  }

  @Test
  void aPoolSelectsNodesCarryingAllItsLabels() {
    Pool ssd = new Pool("local", "ssd", Map.of("disk", "ssd", "zone", "a"), null, "admin", null);
    assertThat(ssd.matches(Map.of("disk", "ssd", "zone", "a", "x", "y"))).isTrue();
    assertThat(ssd.matches(Map.of("disk", "ssd"))).isFalse();
    assertThat(new Pool("local", "all", Map.of(), null, "admin", null).matches(Map.of())).isTrue();
  }

  @Test
  void aBadNameSelectorOrTaintIsNamedWithTheFix() {
    assertThat(
            Pool.problems("Bad_Name", Map.of("disk", "s s"), new Taint("", null, "Sometimes"))
                .list())
        .extracting(f -> f.field())
        .containsExactlyInAnyOrder("name", "selector.disk", "taint.key", "taint.effect");
    assertThat(
            Pool.problems("ssd", Map.of("disk", "ssd"), new Taint("dedicated", "ssd", "NoSchedule"))
                .list())
        .isEmpty();
  }
}
