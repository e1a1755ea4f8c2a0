package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers wired through netlink and mount(2) instead of ip and mount: what they get, what is
 * left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeNetworkIT {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path tmp;
  Host host;
  LocalRuntime rt;

  @BeforeAll
  void start() {
    host = new Host(tmp, 47);
    rt = host.start();
  }

  @AfterAll
  void stop() throws Exception {
    if (host != null) {
      host.teardown();
    }
  }

  @Test
  void theNativePathIsAvailableToRootOnThisHost() {
    assertThat(NativeHost.get()).as("netlink and mount(2) through FFM").isPresent();
  }

  @Test
  void aContainerStartedNativelyHasItsAddressMacAndRouteAndLeavesNothingAfterDeletion()
      throws Exception {
    // The fallback counter of mounts is per JVM: other classes (a mount failure injected on
    // purpose)
    // may have counted before this test.
    int mountFallbacksBefore = Overlay.fallbacks();
    AppSpec spec =
        new AppSpec(
            "busybox:1",
            List.of("httpd", "-f", "-p", "8080", "-h", "/www"),
            List.of(),
            Map.of(),
            List.of(),
            null,
            null,
            new Lifecycle(List.of(), List.of(), 2, true));
    await().atMost(WAIT).until(() -> rt.network.readyAhead() == LocalRuntime.NETNS_AHEAD);
    rt.applyApp(AppWorkload.settled("nat", 1, Set.of(), 1, spec));
    await()
        .atMost(WAIT)
        .until(
            () -> rt.instances("nat").stream().anyMatch(i -> i.state() == InstanceState.RUNNING));
    Instance inst = rt.instances("nat").getFirst();
    String ns = "berth-" + host.config.bridge() + "-nat-0";
    String veth = Network.hash(host.config.bridge() + "/nat-0");

    // Seen from inside the container: its address, MAC and default route.
    String addr =
        rt.exec(
                "nat-0",
                List.of("ip", "-4", "-o", "addr", "show", "dev", "eth0"),
                Duration.ofSeconds(5))
            .output();
    assertThat(addr).contains(inst.ip() + "/24");
    String link =
        rt.exec("nat-0", List.of("ip", "-o", "link", "show", "dev", "eth0"), Duration.ofSeconds(5))
            .output();
    assertThat(link).contains(Network.macOf(inst.ip())).contains("UP");
    String route = rt.exec("nat-0", List.of("ip", "route"), Duration.ofSeconds(5)).output();
    assertThat(route).contains("default via 10.201.47.1 dev eth0");
    assertThat(
            rt.exec(
                    "nat-0",
                    List.of("ip", "-o", "link", "show", "dev", "lo"),
                    Duration.ofSeconds(5))
                .output())
        .contains("UP");
    // Seen from the host: the veth's host side is up on the bridge and the container answers on its
    // IP.
    assertThat(Cmd.check("ip", "-o", "link", "show", "dev", "bv" + veth))
        .contains("master " + host.config.bridge())
        .contains("UP");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(LocalRuntimeIT.get("http://" + inst.ip() + ":8080/"))
                    .contains("hello from berth"));

    assertThat(rt.network.fallbacks()).as("ip stood in for netlink").isZero();
    assertThat(Overlay.fallbacks() - mountFallbacksBefore)
        .as("mount stood in for mount(2)")
        .isZero();

    rt.deleteApp("nat");
    await().atMost(WAIT).until(() -> rt.instances("nat").isEmpty());
    assertThat(Path.of("/sys/class/net", "bv" + veth)).doesNotExist();
    assertThat(Path.of("/var/run/netns", ns)).doesNotExist();
    assertThat(Files.readString(Path.of("/proc/self/mounts")))
        .doesNotContain("/netns/" + ns)
        .doesNotContain(host.config.dataDir().resolve("instances/nat").toString());
    assertThat(rt.network.fallbacks() + Overlay.fallbacks() - mountFallbacksBefore)
        .as("native removal")
        .isZero();
  }

  @Test
  void anInstanceRestartedInItsIntactNamespaceKeepsItAndABrokenOneIsRebuilt() throws Exception {
    Network network = new Network(host.config.bridge(), Subnet.parse(host.config.subnet()));
    Path ns = Path.of(network.netnsPath("keep-0"));
    network.ensureInstance("keep-0", "10.201.47.200");
    long inode = (long) Files.getAttribute(ns, "unix:ino");
    network.ensureInstance("keep-0", "10.201.47.200");
    assertThat((long) Files.getAttribute(ns, "unix:ino")).as("kept").isEqualTo(inode);

    Cmd.check("ip", "-n", network.netns("keep-0"), "addr", "flush", "dev", "eth0");
    network.ensureInstance("keep-0", "10.201.47.200");
    assertThat(
            Cmd.check(
                "ip", "-n", network.netns("keep-0"), "-4", "-o", "addr", "show", "dev", "eth0"))
        .contains("10.201.47.200/24");
    assertThat(Cmd.check("ip", "-n", network.netns("keep-0"), "route"))
        .contains("default via 10.201.47.1 dev eth0");

    network.removeInstance("keep-0");
    assertThat(network.fallbacks()).as("ip stood in for netlink").isZero();
    assertThat(ns).doesNotExist();
    assertThat(Path.of("/sys/class/net", network.hostVeth("keep-0"))).doesNotExist();
    assertThat(Files.readString(Path.of("/proc/self/mounts")))
        .doesNotContain("/netns/" + network.netns("keep-0"));
  }

  /** A second bridge of this class, for pools of its own beside the runtime's. */
  static final String OTHER = "bt48br";

  Network other() {
    Network n = new Network(OTHER, Subnet.parse("10.201.48.0/24"));
    n.ensureBridge();
    return n;
  }

  @AfterAll
  void removeOther() {
    new Network(OTHER, Subnet.parse("10.201.48.0/24"), null).removeInstance("ahead-0");
    Cmd.run("ip", "link", "del", OTHER);
  }

  @Test
  void aNamespaceMadeAheadIsWiredLikeANewOneAndTheRestIsRemovedOnClose() throws Exception {
    Network network = other();
    network.removeInstance("ahead-0"); // a leftover of an interrupted earlier run
    network.prepareAhead(2);
    await().atMost(WAIT).until(() -> network.readyAhead() == 2);
    List<String> pooled = pooled();
    assertThat(pooled).hasSize(2);

    network.ensureInstance("ahead-0", "10.201.48.201");
    List<String> after = pooled();
    assertThat(pooled)
        .as("one taken, the other still ready")
        .filteredOn(after::contains)
        .hasSize(1);
    String ns = network.netns("ahead-0");
    assertThat(Cmd.check("ip", "-n", ns, "-4", "-o", "addr", "show", "dev", "eth0"))
        .contains("10.201.48.201/24");
    assertThat(Cmd.check("ip", "-n", ns, "-o", "link", "show", "dev", "eth0"))
        .contains(Network.macOf("10.201.48.201"));
    assertThat(Cmd.check("ip", "-n", ns, "route")).contains("default via 10.201.48.1 dev eth0");
    assertThat(Cmd.check("ip", "-o", "link", "show", "dev", network.hostVeth("ahead-0")))
        .contains("master " + OTHER)
        .contains("UP");
    await().atMost(WAIT).until(() -> network.readyAhead() == 2);

    network.close();
    assertThat(pooled()).as("ready namespaces removed on close").isEmpty();
    assertThat(Cmd.check("ip", "-o", "link", "show"))
        .doesNotContain("bp" + Network.hash(pooled.get(0)))
        .doesNotContain("bp" + Network.hash(pooled.get(1)));
    network.removeInstance("ahead-0");
    assertThat(Path.of(network.netnsPath("ahead-0"))).doesNotExist();
    assertThat(network.fallbacks()).isZero();
  }

  @Test
  void namespacesMadeAheadByAKilledProcessAreRemovedByTheNextPool() throws Exception {
    Network killed = other();
    killed.prepareAhead(2);
    await().atMost(WAIT).until(() -> killed.readyAhead() == 2);
    List<String> left = pooled();
    // no close(): as after SIGKILL

    Network next = other();
    next.prepareAhead(1);
    await().atMost(WAIT).until(() -> next.readyAhead() == 1);
    assertThat(pooled()).hasSize(1).doesNotContainAnyElementsOf(left);
    next.close();
    assertThat(pooled()).isEmpty();
  }

  /** The names of the other bridge's namespaces made ahead. */
  List<String> pooled() throws java.io.IOException {
    try (var all = Files.list(Netns.RUN_DIR)) {
      return all.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("berth-" + OTHER + "-pool-"))
          .sorted()
          .toList();
    }
  }
}
