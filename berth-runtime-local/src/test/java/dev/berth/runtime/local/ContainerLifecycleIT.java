package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.Resources;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.time.ManualScheduler;
import dev.berth.core.time.SystemScheduler;
import dev.berth.oci.ImageStore;
import dev.berth.oci.PreparedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container lifecycle on its own, with real runc, mounts and network namespaces: a start that
 * fails half-way leaves nothing behind, and the exit of an adopted container is seen through its
 * exit file at once, without the safety poll.
 */
class ContainerLifecycleIT {
  @TempDir Path tmp;
  Host host;
  Network network;
  Ipam ipam;
  ContainerCgroups cgroups;
  SystemScheduler scheduler;
  FileWatch watch;

  @BeforeEach
  void setUp() {
    host = new Host(tmp, 7);
    Subnet subnet = Subnet.parse(host.config.subnet());
    network = new Network(host.config.bridge(), subnet);
    network.ensureBridge();
    ipam = new Ipam(host.config.dataDir().resolve("ipam.json"), subnet);
    cgroups = ContainerCgroups.forHost(host.config.cgroupParent());
    scheduler = new SystemScheduler("lifecycle-it");
    watch = new FileWatch();
  }

  @AfterEach
  void tearDown() throws Exception {
    watch.close();
    scheduler.close();
    host.teardown();
  }

  RuncLifecycle lifecycle(ImageStore images, dev.berth.core.time.Scheduler time) {
    Runc runc = new Runc("runc", host.config.runcRoot());
    return new RuncLifecycle(
        new LifecycleParts(
            runc, ipam, network, cgroups, Cpusets.forHost(), images, watch, time, null));
  }

  static ContainerLifecycle.Start start(String id, InstanceDirs dirs, List<String> command) {
    return new ContainerLifecycle.Start(
        id,
        dirs,
        "busybox:1",
        new Containers.Workload(command, List.of(), Map.of(), Resources.DEFAULT, false),
        null,
        true,
        false);
  }

  void assertNothingLeft(String id, InstanceDirs dirs) throws Exception {
    assertThat(Files.readString(Path.of("/proc/self/mounts")))
        .doesNotContain(dirs.bundle().toString());
    assertThat(Path.of(network.netnsPath(id))).doesNotExist();
    assertThat(Path.of("/sys/class/net", network.hostVeth(id))).doesNotExist();
    assertThat(ipam.lookup(id)).isEmpty();
    assertThat(cgroups.exists(id)).isFalse();
    assertThat(new Runc("runc", host.config.runcRoot()).exists(id)).isFalse();
  }

  @Test
  void aMountThatFailsUndoesTheNetworkAndTheAddress() throws Exception {
    ImageStore broken =
        new ImageStore() {
          @Override
          public String resolve(String reference) {
            return host.images.resolve(reference);
          }

          @Override
          public PreparedImage prepare(String reference) {
            PreparedImage good = host.images.prepare(reference);
            return new PreparedImage(
                good.reference(), good.digest(), tmp.resolve("no-such-rootfs"), good.config());
          }
        };
    InstanceDirs dirs = InstanceDirs.of(host.config.dataDir(), "web", "web-0");
    assertThatThrownBy(
            () ->
                lifecycle(broken, scheduler).start(start("web-0", dirs, List.of("true")), () -> {}))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("mount");
    assertNothingLeft("web-0", dirs);
  }

  @Test
  void anExhaustedSubnetFailsTheStartWithoutCreatingAnything() throws Exception {
    for (int n = 0; n < Subnet.parse(host.config.subnet()).hostCount(); n++) {
      ipam.allocate("other-" + n);
    }
    InstanceDirs dirs = InstanceDirs.of(host.config.dataDir(), "web", "web-1");
    assertThatThrownBy(
            () ->
                lifecycle(host.images, scheduler)
                    .start(start("web-1", dirs, List.of("true")), () -> {}))
        .hasMessageContaining("no free address");
    assertNothingLeft("web-1", dirs);
  }

  @Test
  void releaseAfterAnExitLeavesNothingBehind() throws Exception {
    InstanceDirs dirs = InstanceDirs.of(host.config.dataDir(), "job", "job-0");
    RuncLifecycle life = lifecycle(host.images, scheduler);
    CompletableFuture<Void> exited = new CompletableFuture<>();
    ContainerLifecycle.Running r =
        life.start(
            start("job-0", dirs, List.of("sh", "-c", "exit 3")), () -> exited.complete(null));
    exited.get(20, TimeUnit.SECONDS);
    assertThat(life.collect("job-0", dirs, r.exit().getNow(-1)).status()).isEqualTo(3);
    life.release("job-0", dirs, false);
    assertNothingLeft("job-0", dirs);
    assertThat(dirs.bundle()).doesNotExist();
  }

  @Test
  void theExitOfAnAdoptedContainerIsSeenThroughItsExitFileWithoutPolling() throws Exception {
    InstanceDirs dirs = InstanceDirs.of(host.config.dataDir(), "web", "web-2");
    RuncLifecycle first = lifecycle(host.images, scheduler);
    ContainerLifecycle.Running r =
        first.start(
            start("web-2", dirs, List.of("sh", "-c", "read x < /dev/null; sleep 600")), () -> {});
    assertThat(r.created()).isTrue();
    // A second lifecycle whose time never moves: its safety poll never runs, only the file watch
    // can tell.
    ManualScheduler frozen = new ManualScheduler();
    CompletableFuture<Void> seen = new CompletableFuture<>();
    ContainerLifecycle.Running adopted =
        lifecycle(host.images, frozen)
            .adopt("web-2", dirs, r.shim().pid(), r.lower(), null, () -> seen.complete(null))
            .orElseThrow();
    assertThat(adopted.shim().pid()).isEqualTo(r.shim().pid());
    long killed = System.nanoTime();
    new Runc("runc", host.config.runcRoot()).kill("web-2", "KILL");
    seen.get(20, TimeUnit.SECONDS);
    System.out.printf(
        "adopted container's exit seen %.1f ms after runc kill returned%n",
        (System.nanoTime() - killed) / 1e6);
    // the safety poll, which never ran, is called off once the exit is seen (right after the
    // listener)
    await().atMost(Duration.ofSeconds(5)).until(() -> frozen.pending() == 0);
    assertThat(first.collect("web-2", dirs, -1).status()).isEqualTo(137);
    first.release("web-2", dirs, false);
    assertNothingLeft("web-2", dirs);
  }
}
