package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.app.Security;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.ExecResult;
import dev.berth.core.runtime.InstanceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container started with Berth's defaults (docs/adr/0009) is walled off from its host: it sees
 * only its own processes, cannot reach the host's disks, holds no CAP_SYS_ADMIN, cannot gain
 * privileges and cannot open a user namespace. Everything is checked from inside a real runc
 * container.
 */
class ContainerIsolationIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final int CAP_SYS_ADMIN = 21;

  @TempDir static Path tmp;
  static Host host;
  static LocalRuntime rt;

  @BeforeAll
  static void start() {
    host = new Host(tmp, 60);
    rt = host.start();
    AppSpec spec =
        new AppSpec(
            "busybox:1",
            List.of("sleep", "3600"),
            null,
            null,
            null,
            null,
            null,
            new Lifecycle(List.of(), List.of(), 1, true));
    rt.applyApp(AppWorkload.settled("iso", 1, Set.of(), 1, spec));
    await()
        .atMost(WAIT)
        .until(
            () -> rt.instances("iso").stream().anyMatch(i -> i.state() == InstanceState.RUNNING));
  }

  @AfterAll
  static void stop() throws IOException {
    if (host == null) {
      return;
    }
    try {
      if (rt != null) {
        rt.deleteApp("iso");
        await().atMost(WAIT).until(() -> rt.instances("iso").isEmpty());
      }
    } finally {
      host.teardown();
    }
  }

  static ExecResult sh(String script) {
    return rt.exec("iso-0", List.of("sh", "-c", script), Duration.ofSeconds(10));
  }

  @Test
  void seesOnlyItsOwnProcessesAndCannotSignalTheHosts() {
    long hostPid = ProcessHandle.current().pid();
    ExecResult pids = sh("ls /proc | grep -E '^[0-9]+$'");
    assertThat(pids.exitCode()).as(pids.output()).isZero();
    List<String> seen = Arrays.asList(pids.output().trim().split("\\s+"));
    assertThat(seen)
        .as("the container's init is pid 1 of its own namespace")
        .contains("1")
        .hasSizeLessThan(10);
    assertThat(sh("cat /proc/[0-9]*/cmdline").output())
        .as("the test JVM runs on the host")
        .doesNotContain("java");
    ExecResult kill = sh("kill -0 " + hostPid);
    assertThat(kill.exitCode()).as(kill.output()).isNotZero();
  }

  @Test
  void cannotReachTheHostsDisks() throws IOException {
    String disk = hostDisk();
    String name = Path.of(disk).getFileName().toString();
    assertThat(sh("ls /dev/" + name).exitCode())
        .as("no " + disk + " node in the container")
        .isNotZero();
    ExecResult mount = sh("mkdir -p /mnt && mount " + disk + " /mnt");
    assertThat(mount.exitCode()).as(mount.output()).isNotZero();
    // Before Linux 6.8 the device cgroup refuses mknod itself; since then it refuses the open.
    ExecResult mknod =
        sh("mknod /tmp/disk b " + deviceNumbers(name) + " && head -c 1 /tmp/disk > /dev/null");
    assertThat(mknod.exitCode()).as(mknod.output()).isNotZero();
    assertThat(mknod.output()).contains("Operation not permitted");
    assertThat(Files.readString(Path.of("/proc/interrupts")))
        .as("the host's /proc/interrupts")
        .isNotEmpty();
    assertThat(sh("cat /proc/interrupts | wc -c").output().trim())
        .as("/proc/interrupts is masked")
        .isEqualTo("0");
  }

  @Test
  void runsWithoutSysAdminWithoutNewPrivilegesAndUnderSeccomp() {
    String status = sh("cat /proc/self/status").output();
    long capEff = Long.parseLong(field(status, "CapEff"), 16);
    assertThat(capEff & (1L << CAP_SYS_ADMIN)).as("CapEff " + Long.toHexString(capEff)).isZero();
    assertThat(capEff).as("Docker's default set: 14 capabilities").isEqualTo(dockerDefaultCaps());
    assertThat(field(status, "CapBnd")).isEqualTo(field(status, "CapEff"));
    assertThat(field(status, "NoNewPrivs")).isEqualTo("1");
    assertThat(field(status, "Seccomp")).as("2 = filter mode").isEqualTo("2");
  }

  @Test
  void theRestrictedProfileRunsWithoutCapabilitiesAsItsNonRootUser() {
    AppSpec spec =
        new AppSpec(
            "busybox:1",
            List.of("sleep", "3600"),
            null,
            null,
            null,
            null,
            null,
            new Lifecycle(List.of(), List.of(), 1, true),
            null,
            new Security(Security.Profile.RESTRICTED, 1000L));
    rt.applyApp(AppWorkload.settled("isor", 1, Set.of(), 1, spec));
    try {
      await()
          .atMost(WAIT)
          .until(
              () ->
                  rt.instances("isor").stream().anyMatch(i -> i.state() == InstanceState.RUNNING));
      String status =
          rt.exec("isor-0", List.of("cat", "/proc/self/status"), Duration.ofSeconds(10)).output();
      for (String set : List.of("CapEff", "CapPrm", "CapBnd")) {
        assertThat(Long.parseLong(field(status, set), 16)).as(set).isZero();
      }
      assertThat(field(status, "Uid")).startsWith("1000");
      assertThat(field(status, "NoNewPrivs")).isEqualTo("1");
    } finally {
      rt.deleteApp("isor");
      await().atMost(WAIT).until(() -> rt.instances("isor").isEmpty());
    }
  }

  @Test
  void theRestrictedProfileRefusesToStartAnImageThatRunsAsRoot() {
    AppSpec spec =
        new AppSpec(
            "busybox:1",
            List.of("sleep", "3600"),
            null,
            null,
            null,
            null,
            null,
            new Lifecycle(List.of(), List.of(), 1, true),
            null,
            new Security(Security.Profile.RESTRICTED, null));
    rt.applyApp(AppWorkload.settled("isoroot", 1, Set.of(), 1, spec));
    try {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(rt.instances("isoroot"))
                      .singleElement()
                      .satisfies(
                          i -> {
                            assertThat(i.state()).isEqualTo(InstanceState.FAILED);
                            assertThat(i.message()).contains("set security.runAsUser");
                          }));
    } finally {
      rt.deleteApp("isoroot");
      await().atMost(WAIT).until(() -> rt.instances("isoroot").isEmpty());
    }
  }

  @Test
  void cannotOpenAUserNamespaceOrRemountAnything() {
    ExecResult userns = sh("unshare -U -r true");
    assertThat(userns.exitCode()).as(userns.output()).isNotZero();
    ExecResult mountns = sh("unshare -m true");
    assertThat(mountns.exitCode()).as(mountns.output()).isNotZero();
    ExecResult remount = sh("mount -o remount,rw /proc/sys");
    assertThat(remount.exitCode()).as(remount.output()).isNotZero();
  }

  @Test
  void hasNoHostMountsButBerthsOwnFiles() {
    ExecResult mounts = sh("cat /proc/self/mountinfo");
    List<String> points = mounts.output().lines().map(l -> l.split(" ")[4]).toList();
    assertThat(points)
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p)
                    .matches(
                        "/|/proc(/.*)?|/dev(/.*)?|/sys(/.*)?|/etc/hosts|/etc/resolv\\.conf|"
                            + BundleSpec.INIT_PATH.replace(".", "\\.")));
  }

  static String field(String status, String name) {
    return status
        .lines()
        .filter(l -> l.startsWith(name + ":"))
        .map(l -> l.substring(name.length() + 1).trim())
        .findFirst()
        .orElseThrow();
  }

  /**
   * CHOWN 0, DAC_OVERRIDE 1, FOWNER 3, FSETID 4, KILL 5, SETGID 6, SETUID 7, SETPCAP 8,
   * NET_BIND_SERVICE 10, NET_RAW 13, SYS_CHROOT 18, MKNOD 27, AUDIT_WRITE 29, SETFCAP 31.
   */
  static long dockerDefaultCaps() {
    return Stream.of(0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31)
        .mapToLong(b -> 1L << b)
        .reduce(0, (a, b) -> a | b);
  }

  /** The host's first real disk (not a loop or zram device), e.g. /dev/vda. */
  static String hostDisk() {
    try (Stream<Path> blocks = Files.list(Path.of("/sys/block"))) {
      return blocks
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("loop") && !n.startsWith("zram") && !n.startsWith("ram"))
          .sorted()
          .findFirst()
          .map(n -> "/dev/" + n)
          .orElse("/dev/vda");
    } catch (IOException e) {
      return "/dev/vda";
    }
  }

  /** "major minor" of a block device from sysfs. */
  static String deviceNumbers(String name) {
    try {
      return Files.readString(Path.of("/sys/block", name, "dev")).trim().replace(':', ' ');
    } catch (IOException e) {
      return "254 0";
    }
  }
}
