package dev.berth.server.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.node.NodeInfo;
import dev.berth.core.node.NodeInfo.Capacity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadroomTest {
  static NodeInfo node(Capacity requested, Capacity allocatable) {
    return new NodeInfo(
        "local",
        "host",
        "10.0.0.1",
        null,
        Map.of(),
        null,
        allocatable,
        allocatable,
        requested,
        true,
        true,
        "runc");
  }

  @Test
  void cpuAndMemoryTakeTheLargerOfRequestedAndUsed() {
    NodeReading r =
        new NodeReading(
            3.0, 512.0 * 1024 * 1024, null, null, null, null, null, null, null, null, null);
    List<Headroom> rows =
        Headroom.of(node(new Capacity(1, 2048, 2), new Capacity(4, 4096, 110)), r);

    Headroom cpu = rows.get(0);
    assertThat(cpu.resource()).isEqualTo("CPU");
    assertThat(cpu.requested()).isEqualTo("1.00");
    assertThat(cpu.used()).isEqualTo("3.00");
    assertThat(cpu.percent()).isEqualTo(75.0);
    assertThat(cpu.headroomPercent()).isEqualTo(25.0);
    assertThat(cpu.level()).isEqualTo("ok");

    Headroom memory = rows.get(1);
    assertThat(memory.used()).isEqualTo("512 MiB");
    assertThat(memory.percent()).isEqualTo(50.0);
  }

  @Test
  void measuredResourcesAreAShareOfTheirLimitWithWarnAndFailLevels() {
    NodeReading r =
        new NodeReading(null, null, null, 850.0, 1000.0, 95.0, 100.0, 1.0, null, null, null);
    List<Headroom> rows = Headroom.of(node(new Capacity(0, 0, 0), new Capacity(2, 1024, 10)), r);

    assertThat(rows)
        .extracting(Headroom::resource, Headroom::level)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("CPU", "ok"),
            org.assertj.core.groups.Tuple.tuple("Memory", "ok"),
            org.assertj.core.groups.Tuple.tuple("Threads (PIDs)", "fail"),
            org.assertj.core.groups.Tuple.tuple("Conntrack entries", "warn"),
            org.assertj.core.groups.Tuple.tuple("Image storage", "unknown"),
            org.assertj.core.groups.Tuple.tuple("Disk", "unknown"));
    assertThat(rows.get(2).headroomPercent()).isEqualTo(5.0);
  }
}
