package dev.berth.runtime.local.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metric counters of both cgroup modes on fake trees laid out as the kernel does. */
class CgroupStatsTest {
  @TempDir Path root;

  private void write(String rel, String content) throws IOException {
    Path f = root.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  @Test
  void v2ReadsUsageThrottlingWorkingSetLimitsAndOomKills() throws IOException {
    write("cgroup.controllers", "cpu memory pids\n");
    String c = "berth/web-0/";
    write(c + "cpu.stat", "usage_usec 2500000\nnr_throttled 4\nthrottled_usec 300000\n");
    write(c + "memory.current", "10485760\n");
    write(c + "memory.stat", "anon 4194304\nfile 6291456\ninactive_file 2097152\n");
    write(c + "memory.max", "67108864\n");
    write(c + "memory.events", "low 0\nhigh 0\nmax 9\noom 2\noom_kill 1\n");
    write(c + "pids.current", "7\n");
    write(c + "pids.max", "max\n");

    Cgroups.Stats s = Cgroups.detect(root).stats("/berth/web-0").orElseThrow();

    assertThat(s.cpuMicros()).hasValue(2_500_000);
    assertThat(s.throttledMicros()).hasValue(300_000);
    assertThat(s.workingSetBytes()).hasValue(10485760 - 2097152);
    assertThat(s.memoryLimitBytes()).hasValue(67108864);
    assertThat(s.pids()).hasValue(7);
    assertThat(s.pidsLimit()).isEmpty();
    assertThat(s.oomKills()).hasValue(1);
  }

  @Test
  void v1ReadsTheSameFromItsPerControllerFilesInTheirUnits() throws IOException {
    write("memory/berth/web-0/memory.usage_in_bytes", "8388608\n");
    write("memory/berth/web-0/memory.stat", "cache 100\ntotal_inactive_file 1048576\n");
    write("memory/berth/web-0/memory.limit_in_bytes", "33554432\n");
    write("memory/berth/web-0/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
    write("cpuacct/berth/web-0/cpuacct.usage", "7000000000\n");
    write("cpu/berth/web-0/cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 5000000\n");
    write("pids/berth/web-0/pids.current", "4\n");
    write("pids/berth/web-0/pids.max", "64\n");

    Cgroups.Stats s = Cgroups.detect(root).stats("/berth/web-0").orElseThrow();

    assertThat(s.cpuMicros()).hasValue(7_000_000);
    assertThat(s.throttledMicros()).hasValue(5_000);
    assertThat(s.workingSetBytes()).hasValue(8388608 - 1048576);
    assertThat(s.memoryLimitBytes()).hasValue(33554432);
    assertThat(s.pids()).hasValue(4);
    assertThat(s.pidsLimit()).hasValue(64);
    assertThat(s.oomKills()).hasValue(3);
  }

  @Test
  void anOlderV1KernelWithoutTheOomKillCounterLeavesItAbsentAndNoLimitIsNoValue()
      throws IOException {
    write("memory/berth/web-0/memory.usage_in_bytes", "8388608\n");
    write("memory/berth/web-0/memory.limit_in_bytes", "9223372036854771712\n");
    write("memory/berth/web-0/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");

    Cgroups.Stats s = Cgroups.detect(root).stats("/berth/web-0").orElseThrow();

    assertThat(s.oomKills()).isEmpty();
    assertThat(s.memoryLimitBytes()).isEmpty();
    assertThat(s.throttledMicros()).isEmpty();
    assertThat(s.cpuMicros()).isEqualTo(OptionalLong.empty());
    assertThat(s.workingSetBytes()).hasValue(8388608);
  }

  @Test
  void aMissingCgroupHasNoStatsInEitherMode() throws IOException {
    write("cgroup.controllers", "cpu memory pids\n");
    assertThat(Cgroups.detect(root).stats("/berth/gone-0")).isEmpty();
    assertThat(new CgroupV1(root.resolve("v1")).stats("/berth/gone-0")).isEmpty();
  }
}
