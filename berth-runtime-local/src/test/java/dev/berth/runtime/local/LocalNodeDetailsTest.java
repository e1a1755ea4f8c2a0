package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Resources;
import dev.berth.core.node.NodeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalNodeDetailsTest {
  @TempDir Path proc;

  @Test
  void sumsLimitsAndCountsHeadroomOfSlotsPidsAndConntrack() {
    NodeInfo.Details d =
        LocalNodeDetails.of(
            List.of(
                new Resources(0.5, 1.5, 128, CpuPolicy.SHARES, 0),
                new Resources(0, 0, 64, CpuPolicy.SHARES, 0)),
            110,
            new LocalNodeDetails.HostCounters(32768L, 254L, 262144L, 100L));
    assertThat(d.limits()).isEqualTo(new NodeInfo.Capacity(1.5, 192, 2));
    assertThat(d.instances()).isEqualTo(2);
    assertThat(d.headroom()).isEqualTo(new NodeInfo.Headroom(108, 32514L, 262044L));
  }

  @Test
  void readsTheKernelCountersAndLeavesConntrackNullWithoutTheModule() throws Exception {
    Files.createDirectories(proc.resolve("sys/kernel"));
    Files.writeString(proc.resolve("sys/kernel/pid_max"), "4194304\n");
    Files.writeString(proc.resolve("loadavg"), "0.52 0.58 0.59 3/1291 41234\n");
    LocalNodeDetails.HostCounters c = LocalNodeDetails.HostCounters.read(proc);
    assertThat(c).isEqualTo(new LocalNodeDetails.HostCounters(4194304L, 1291L, null, null));
    assertThat(LocalNodeDetails.of(List.of(), 110, c).headroom())
        .isEqualTo(new NodeInfo.Headroom(110, 4193013L, null));
  }
}
