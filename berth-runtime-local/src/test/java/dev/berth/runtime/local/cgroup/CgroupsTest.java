package dev.berth.runtime.local.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both cgroup modes against fake cgroup trees laid out as the kernel does, so the mode the test
 * host lacks is covered too (this host may boot either).
 */
class CgroupsTest {
  @TempDir Path root;

  private void write(String rel, String content) throws IOException {
    Path f = root.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  private void v2Tree() throws IOException {
    write("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
    write("cpuset.cpus.effective", "0-3\n");
    String c = "berth/web-0/";
    write(c + "memory.events", "low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n");
    write(c + "memory.current", "5242880\n");
    write(c + "memory.max", "67108864\n");
    write(c + "cpu.stat", "usage_usec 123456\nuser_usec 100000\nsystem_usec 23456\n");
    write(c + "cpu.max", "150000 100000\n");
    write(c + "cpu.weight", "20\n");
    write(c + "pids.current", "3\n");
    write(c + "pids.max", "100\n");
    write(c + "cpuset.cpus", "2\n");
    write(c + "cgroup.procs", "41\n42\n43\n");
  }

  private void v1Tree() throws IOException {
    write("cpuset/cpuset.cpus", "0-1\n");
    write("memory/berth/web-0/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 4\n");
    write("memory/berth/web-0/memory.usage_in_bytes", "1048576\n");
    write("memory/berth/web-0/memory.limit_in_bytes", "9223372036854771712\n");
    write("cpuacct/berth/web-0/cpuacct.usage", "5000000\n");
    write("cpu/berth/web-0/cpu.cfs_quota_us", "-1\n");
    write("cpu/berth/web-0/cpu.cfs_period_us", "100000\n");
    write("cpu/berth/web-0/cpu.shares", "512\n");
    write("pids/berth/web-0/pids.current", "2\n");
    write("pids/berth/web-0/pids.max", "max\n");
    write("pids/berth/web-0/cgroup.procs", "7\n");
    write("cpuset/berth/web-0/cpuset.cpus", "1\n");
  }

  @Test
  void detectsTheUnifiedHierarchyByItsControllersFile() throws IOException {
    v2Tree();
    assertThat(Cgroups.detect(root).mode()).isEqualTo(Cgroups.Mode.V2);
  }

  @Test
  void detectsPerControllerHierarchiesAsVersionOne() throws IOException {
    v1Tree();
    assertThat(Cgroups.detect(root).mode()).isEqualTo(Cgroups.Mode.V1);
  }

  @Test
  void v2CountsOomKillsFromMemoryEventsNotTheOomCounter() throws IOException {
    v2Tree();
    assertThat(Cgroups.detect(root).oomKills("/berth/web-0")).isEqualTo(2);
  }

  @Test
  void v1CountsOomKillsFromOomControl() throws IOException {
    v1Tree();
    assertThat(Cgroups.detect(root).oomKills("/berth/web-0")).isEqualTo(4);
  }

  @Test
  void v2ReadsUsageAndLimitsFromTheUnifiedFiles() throws IOException {
    v2Tree();
    Cgroups cg = Cgroups.detect(root);
    assertThat(cg.usage("/berth/web-0")).contains(new Cgroups.Usage(5_242_880, 123_456, 3));
    assertThat(cg.limits("/berth/web-0"))
        .contains(new Cgroups.Limits(64L << 20, 150_000, 100_000, 20, 100, "2"));
    assertThat(cg.pids("/berth/web-0")).containsExactly(41, 42, 43);
    assertThat(cg.hostCpus()).contains("0-3");
  }

  @Test
  void v1ReadsUsageAndLimitsPerControllerAndTreatsHugeOrMaxAsUnlimited() throws IOException {
    v1Tree();
    Cgroups cg = Cgroups.detect(root);
    assertThat(cg.usage("/berth/web-0")).contains(new Cgroups.Usage(1_048_576, 5_000, 2));
    assertThat(cg.limits("/berth/web-0"))
        .contains(new Cgroups.Limits(-1, -1, 100_000, 512, -1, "1"));
    assertThat(cg.pids("/berth/web-0")).containsExactly(7);
    assertThat(cg.hostCpus()).contains("0-1");
  }

  @Test
  void v2UnlimitedCpuAndMemoryReadAsMinusOne() throws IOException {
    v2Tree();
    write("berth/big-0/memory.max", "max\n");
    write("berth/big-0/cpu.max", "max 100000\n");
    Cgroups.Limits l = Cgroups.detect(root).limits("/berth/big-0").orElseThrow();
    assertThat(l.memoryBytes()).isEqualTo(-1);
    assertThat(l.cpuQuotaMicros()).isEqualTo(-1);
    assertThat(l.cpuPeriodMicros()).isEqualTo(100_000);
  }

  @Test
  void aMissingCgroupOrFileIsZeroOrEmptyNeverAnError() throws IOException {
    v2Tree();
    Cgroups cg = Cgroups.detect(root);
    assertThat(cg.oomKills("/berth/gone-0")).isZero();
    assertThat(cg.usage("/berth/gone-0")).isEmpty();
    assertThat(cg.limits("/berth/gone-0")).isEmpty();
    assertThat(cg.pids("/berth/gone-0")).isEmpty();
    Files.delete(root.resolve("berth/web-0/memory.events"));
    assertThat(cg.oomKills("/berth/web-0")).isZero();
    write("berth/web-0/memory.events", "oom_kill garbage\n");
    assertThat(cg.oomKills("/berth/web-0")).isZero();
  }

  @Test
  void v1ListsLeftoverDirectoriesInAnyControllerAndRemovesEmptyOnes() throws IOException {
    v1Tree();
    Files.createDirectories(root.resolve("freezer/berth/run-7"));
    Files.createDirectories(root.resolve("devices/berth/run-7"));
    Cgroups cg = Cgroups.detect(root);
    assertThat(cg.children("/berth")).contains("/berth/web-0", "/berth/run-7");
    assertThat(cg.exists("/berth/run-7")).isTrue();
    assertThat(cg.removeIfEmpty("/berth/run-7")).isTrue();
    assertThat(cg.exists("/berth/run-7")).isFalse();
    assertThat(cg.children("/berth")).containsExactly("/berth/web-0");
  }

  @Test
  void v2ListsChildrenDeepestFirstAndKeepsADirectoryStillInUse() throws IOException {
    v2Tree();
    Files.createDirectories(root.resolve("berth/run-1/exec-1"));
    Cgroups cg = Cgroups.detect(root);
    assertThat(cg.children("/berth"))
        .startsWith("/berth/run-1/exec-1")
        .contains("/berth/run-1", "/berth/web-0");
    // web-0 holds files in the fake tree as a busy cgroup holds processes: it is not removed
    assertThat(cg.removeIfEmpty("/berth/web-0")).isFalse();
    assertThat(cg.removeIfEmpty("/berth/run-1/exec-1")).isTrue();
  }

  @Test
  void weightForSharesFollowsRuncsConversion() {
    assertThat(Cgroups.weightForShares(2)).isEqualTo(1);
    assertThat(Cgroups.weightForShares(1024)).isEqualTo(39);
    assertThat(Cgroups.weightForShares(262144)).isEqualTo(10000);
  }
}
