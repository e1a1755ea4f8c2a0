package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Security;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.oci.ImageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleSpecTest {
  static final ImageConfig IMAGE =
      new ImageConfig(
          List.of("/entry"),
          List.of("serve", "--port=80"),
          List.of("PATH=/usr/bin:/bin", "LANG=C", "MODE=image"),
          "/app",
          "www",
          List.of(),
          Map.of(),
          null);

  static AppSpec spec(List<String> command, List<String> args) {
    return new AppSpec("img", command, args, Map.of("MODE", "spec"), null, null, null, null);
  }

  static ContainerPlan plan(Resources r, String cpus, Path init) {
    return new ContainerPlan(
        "web-0",
        Path.of("/d/web-0/rootfs"),
        List.of("httpd", "-f"),
        List.of("PATH=/bin", "HOSTNAME=web-0"),
        "/",
        33,
        33,
        "/var/run/netns/berth-br-web-0",
        Path.of("/d/hosts"),
        Path.of("/d/resolv.conf"),
        init,
        r,
        cpus,
        "/berth/web-0");
  }

  @Test
  void commandReplacesEntrypointAndDropsImageCmd() {
    assertThat(Entry.args(IMAGE, spec(List.of("sh", "-c"), List.of()))).containsExactly("sh", "-c");
  }

  @Test
  void argsReplaceImageCmdBehindTheEntrypoint() {
    assertThat(Entry.args(IMAGE, spec(List.of(), List.of("--debug"))))
        .containsExactly("/entry", "--debug");
  }

  @Test
  void commandAndArgsTogetherIgnoreTheImage() {
    assertThat(Entry.args(IMAGE, spec(List.of("httpd"), List.of("-f"))))
        .containsExactly("httpd", "-f");
  }

  @Test
  void imageEntrypointAndCmdRunWhenTheSpecSetsNeither() {
    assertThat(Entry.args(IMAGE, spec(List.of(), List.of())))
        .containsExactly("/entry", "serve", "--port=80");
  }

  @Test
  void refusesToRunNothing() {
    ImageConfig empty = new ImageConfig(null, null, null, null, null, null, null, null);
    assertThatThrownBy(() -> Entry.args(empty, spec(List.of(), List.of())))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("nothing to run");
  }

  @Test
  void specEnvOverlaysImageEnvAndAddsHostname() {
    assertThat(Entry.env(IMAGE, spec(List.of(), List.of()), "web-3"))
        .containsExactly("PATH=/usr/bin:/bin", "LANG=C", "MODE=spec", "HOSTNAME=web-3");
    assertThat(Entry.cwd(IMAGE)).isEqualTo("/app");
  }

  @Test
  void resolvesImageUserNamesThroughTheRootfsFiles() {
    String passwd = "root:x:0:0::/root:/bin/sh\nwww:x:33:34::/www:/bin/sh\n";
    String group = "root:x:0:\nstaff:x:50:\n";
    assertThat(Entry.user("", passwd, group)).containsExactly(0, 0);
    assertThat(Entry.user("www", passwd, group)).containsExactly(33, 34);
    assertThat(Entry.user("www:staff", passwd, group)).containsExactly(33, 50);
    assertThat(Entry.user("1000:1001", passwd, group)).containsExactly(1000, 1001);
    assertThat(Entry.user("33", passwd, group)).containsExactly(33, 34);
    assertThat(Entry.user("ghost", passwd, group)).containsExactly(0, 0);
  }

  @Test
  void mapsResourcesToCgroupLimits() {
    JsonNode res =
        BundleSpec.configJson(plan(new Resources(0.5, 1.5, 64, CpuPolicy.CPUSET, 100), "1", null))
            .path("linux")
            .path("resources");
    assertThat(res.path("cpu").path("shares").asLong()).isEqualTo(512);
    assertThat(res.path("cpu").path("quota").asLong()).isEqualTo(150_000);
    assertThat(res.path("cpu").path("period").asLong()).isEqualTo(100_000);
    assertThat(res.path("cpu").path("cpus").asText()).isEqualTo("1");
    assertThat(res.path("memory").path("limit").asLong()).isEqualTo(64L << 20);
    assertThat(res.path("memory").path("swap").asLong()).isEqualTo(64L << 20);
    assertThat(res.path("pids").path("limit").asInt()).isEqualTo(100);
  }

  @Test
  void tinyCpuGetsTheOnlineMinimumSharesAndNoLimitMeansNoQuota() {
    JsonNode cpu =
        BundleSpec.configJson(plan(new Resources(0.001, 0, 0, CpuPolicy.SHARES, 0), null, null))
            .path("linux")
            .path("resources")
            .path("cpu");
    assertThat(cpu.path("shares").asLong()).isEqualTo(QosTuning.ONLINE_MIN_SHARES);
    assertThat(cpu.has("quota")).isFalse();
    assertThat(cpu.has("cpus")).isFalse();
  }

  @Test
  void qosClassesGetDescendingSharesAndAscendingOomScoreAdj() {
    JsonNode guaranteed =
        BundleSpec.configJson(plan(new Resources(0.5, 0.5, 64, CpuPolicy.SHARES, 0), null, null));
    JsonNode burstable =
        BundleSpec.configJson(plan(new Resources(0.5, 0, 64, CpuPolicy.SHARES, 0), null, null));
    JsonNode bestEffort =
        BundleSpec.configJson(plan(new Resources(0, 0, 64, CpuPolicy.SHARES, 0), null, null));
    JsonNode chosen =
        BundleSpec.configJson(
            plan(
                new Resources(
                    0, 1, 64, CpuPolicy.SHARES, 0, dev.berth.core.app.QosClass.BEST_EFFORT),
                null,
                null));
    assertThat(List.of(guaranteed, burstable, bestEffort, chosen))
        .extracting(c -> c.path("process").path("oomScoreAdj").asInt())
        .containsExactly(-500, 500, 1000, 1000);
    assertThat(List.of(guaranteed, burstable, bestEffort, chosen))
        .extracting(c -> c.path("linux").path("resources").path("cpu").path("shares").asLong())
        .containsExactly(512L, 512L, 2L, 2L);
  }

  @Test
  void guaranteedIsRaisedToTheFloorOfAHostThatMayNotLowerOomScoreAdj() {
    Resources guaranteed = new Resources(0.5, 0.5, 64, CpuPolicy.SHARES, 0);
    assertThat(QosTuning.of(guaranteed, 0).oomScoreAdj()).isZero();
    assertThat(QosTuning.of(guaranteed, HostInfo.NO_OOM_SCORE_ADJ_FLOOR).oomScoreAdj())
        .isEqualTo(-500);
    assertThat(QosTuning.of(new Resources(0.5, 0, 64, CpuPolicy.SHARES, 0), 0).oomScoreAdj())
        .isEqualTo(500);
  }

  @Test
  void isolatesTheProcessWithNamespacesCapabilitiesAndMasks() {
    JsonNode c = BundleSpec.configJson(plan(Resources.DEFAULT, null, null));
    assertThat(c.path("hostname").asText()).isEqualTo("web-0");
    assertThat(c.path("process").path("noNewPrivileges").asBoolean()).isTrue();
    assertThat(c.path("process").path("user").path("uid").asInt()).isEqualTo(33);
    assertThat(texts(c.path("process").path("capabilities").path("bounding")))
        .contains("CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHOWN")
        .doesNotContain("CAP_SYS_ADMIN", "CAP_NET_ADMIN");
    assertThat(texts(c.path("process").path("capabilities").path("effective"))).hasSize(14);
    assertThat(texts(c.path("linux").path("maskedPaths")))
        .contains("/proc/kcore", "/sys/firmware", "/proc/interrupts");
    assertThat(texts(c.path("linux").path("readonlyPaths"))).contains("/proc/sys");
    List<String> ns = new ArrayList<>();
    c.path("linux")
        .path("namespaces")
        .forEach(
            n ->
                ns.add(
                    n.path("type").asText()
                        + (n.has("path") ? "=" + n.path("path").asText() : "")));
    assertThat(ns)
        .containsExactly("pid", "ipc", "uts", "mount", "network=/var/run/netns/berth-br-web-0");
    assertThat(c.path("linux").path("cgroupsPath").asText()).isEqualTo("/berth/web-0");
    List<String> dests = new ArrayList<>();
    c.path("mounts").forEach(m -> dests.add(m.path("destination").asText()));
    assertThat(dests)
        .contains(
            "/proc",
            "/dev",
            "/dev/pts",
            "/dev/shm",
            "/dev/mqueue",
            "/sys",
            "/sys/fs/cgroup",
            "/etc/hosts",
            "/etc/resolv.conf")
        .doesNotContain(BundleSpec.INIT_PATH);
    assertThat(texts(c.path("process").path("args"))).containsExactly("httpd", "-f");
  }

  @Test
  void filtersDangerousSystemCallsAndUserNamespacesWithSeccomp() {
    JsonNode seccomp =
        BundleSpec.configJson(plan(Resources.DEFAULT, null, null)).path("linux").path("seccomp");
    assertThat(seccomp.path("defaultAction").asText()).isEqualTo("SCMP_ACT_ALLOW");
    assertThat(seccomp.has("architectures"))
        .as("native ABI only: another ABI is killed, not let through")
        .isFalse();
    JsonNode denied = seccomp.path("syscalls").get(0);
    assertThat(texts(denied.path("names")))
        .contains("keyctl", "bpf", "unshare", "mount", "init_module", "io_uring_setup");
    assertThat(denied.path("errnoRet").asInt()).isEqualTo(1);
    JsonNode clone = seccomp.path("syscalls").get(1);
    assertThat(texts(clone.path("names"))).containsExactly("clone");
    assertThat(clone.path("args").get(0).path("op").asText()).isEqualTo("SCMP_CMP_MASKED_EQ");
    assertThat(clone.path("args").get(0).path("value").asLong()).isEqualTo(0x10000000L);
    assertThat(seccomp.path("syscalls").get(2).path("errnoRet").asInt())
        .as("clone3 -> ENOSYS")
        .isEqualTo(38);
  }

  @Test
  void runsTheEntryUnderTheInitWhenThereIsOne() {
    JsonNode c =
        BundleSpec.configJson(plan(Resources.DEFAULT, null, Path.of("/usr/bin/tini-static")));
    assertThat(texts(c.path("process").path("args")))
        .containsExactly("/.berth/init", "--", "httpd", "-f");
    List<String> binds = new ArrayList<>();
    c.path("mounts")
        .forEach(
            m ->
                binds.add(
                    m.path("destination").asText()
                        + "<-"
                        + m.path("source").asText()
                        + texts(m.path("options"))));
    assertThat(binds).contains("/.berth/init<-/usr/bin/tini-static[rbind, rprivate, ro]");
  }

  @Test
  void detectsStaticBinaries() {
    assertThat(HostInfo.isStatic(Path.of("/bin/busybox"))).isTrue();
    assertThat(HostInfo.isStatic(Path.of("/bin/ls"))).isFalse();
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void theRestrictedProfileDropsEveryCapability() {
    ContainerPlan base = plan(Resources.DEFAULT, null, null);
    assertThat(BundleSpec.configJson(base).at("/process/capabilities/bounding"))
        .hasSize(BundleSpec.CAPABILITIES.size());
    ContainerPlan restricted =
        new ContainerPlan(
            base.id(),
            base.rootfs(),
            base.args(),
            base.env(),
            base.cwd(),
            base.uid(),
            base.gid(),
            base.netnsPath(),
            base.hostsFile(),
            base.resolvConf(),
            base.init(),
            base.resources(),
            base.cpus(),
            base.cgroupsPath(),
            true,
            base.oomScoreAdjFloor());
    JsonNode caps = BundleSpec.configJson(restricted).at("/process/capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      assertThat(caps.path(set).isArray()).isTrue();
      assertThat(caps.path(set)).as(set).isEmpty();
    }
    assertThat(BundleSpec.configJson(restricted).at("/process/noNewPrivileges").asBoolean())
        .isTrue();
  }

  @Test
  void theRestrictedProfileRunsAsANonRootUserOrRefusesToStart() {
    Security restricted = new Security(Security.Profile.RESTRICTED, null);
    assertThat(LocalSecurity.user(new int[] {0, 0}, Security.BASELINE)).containsExactly(0, 0);
    assertThat(LocalSecurity.user(new int[] {33, 33}, restricted)).containsExactly(33, 33);
    assertThat(
            LocalSecurity.user(new int[] {0, 10}, new Security(Security.Profile.RESTRICTED, 1000L)))
        .containsExactly(1000, 10);
    assertThatThrownBy(() -> LocalSecurity.user(new int[] {0, 0}, restricted))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("set security.runAsUser");
  }
}
