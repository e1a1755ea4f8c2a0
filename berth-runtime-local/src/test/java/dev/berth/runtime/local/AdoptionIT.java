package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Health;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.app.Probe;
import dev.berth.core.app.ProbeType;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers outlive the runtime object: a new one on the same data directory adopts them, still
 * ready when they were.
 */
class AdoptionIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final List<String> HTTPD = List.of("httpd", "-f", "-p", "8080", "-h", "/www");

  @TempDir Path tmp;
  Host host;

  @AfterEach
  void teardown() throws Exception {
    if (host == null) {
      return;
    }
    try {
      if (host.runtime != null) {
        host.runtime.deleteApp("web");
        await().atMost(WAIT).until(() -> host.runtime.instances("web").isEmpty());
      }
    } finally {
      host.teardown();
    }
  }

  static AppSpec spec() {
    return spec(null);
  }

  /**
   * httpd with a readiness probe that first looks 2 s after the probes start, so that a container
   * adopted without its recorded readiness would be unready at least that long.
   */
  static AppSpec probed() {
    return spec(new Health(null, new Probe(ProbeType.TCP, 8080, null, null, 2, 1, 1, 3, 1)));
  }

  static AppSpec spec(Health health) {
    return new AppSpec(
        "busybox:1",
        HTTPD,
        null,
        null,
        null,
        null,
        health,
        new Lifecycle(List.of(), List.of(), 2, true));
  }

  long pid(String id) {
    Runc runc = new Runc("runc", host.config.runcRoot());
    return await()
        .atMost(WAIT)
        .until(
            () -> runc.state(id).filter(Runc.State::running).map(Runc.State::pid).orElse(0L),
            p -> p > 0);
  }

  Instance running(LocalRuntime rt, int ordinal) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                rt.instances("web").stream()
                    .anyMatch(i -> i.ordinal() == ordinal && i.state() == InstanceState.RUNNING));
    return rt.instances("web").stream()
        .filter(i -> i.ordinal() == ordinal)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void newRuntimeAdoptsRunningContainersWithoutRestartingThem() {
    host = new Host(tmp, 2);
    LocalRuntime first = host.start();
    first.applyApp(AppWorkload.settled("web", 2, Set.of(), 1, probed()));
    await()
        .atMost(WAIT)
        .until(() -> first.instances("web").stream().filter(Instance::ready).count() == 2);
    Instance before = running(first, 1);
    long pid = pid("web-1");
    first.close();

    host.seen.clear();
    LocalRuntime second = host.start();
    // at once, before any probe of the new runtime ran: the same containers, still ready
    assertThat(second.instances("web"))
        .extracting(Instance::id, Instance::state, Instance::ready)
        .containsExactlyInAnyOrder(
            tuple("web-0", InstanceState.RUNNING, true),
            tuple("web-1", InstanceState.RUNNING, true));
    Instance after = running(second, 1);
    assertThat(pid("web-1")).isEqualTo(pid);
    assertThat(after.ip()).isEqualTo(before.ip());
    assertThat(after.restarts()).isZero();
    assertThat(after.revision()).isEqualTo(1);
    assertThat(host.reasons("web-1")).doesNotContain("Started", "Restarted");
    // the adopted instance is still supervised: a crash restarts it
    Cmd.check("kill", "-9", Long.toString(pid));
    await().atMost(WAIT).until(() -> running(second, 1).restarts() == 1);
    assertThat(host.reasons("web-1")).contains("Exited", "Restarted");
    // and applying the same workload again changes nothing
    second.applyApp(AppWorkload.settled("web", 2, Set.of(), 1, probed()));
    assertThat(running(second, 0).restarts()).isZero();
  }

  @Test
  void exitWhileBerthWasDownIsHandledOnAdoption() {
    host = new Host(tmp, 3);
    LocalRuntime first = host.start();
    first.applyApp(AppWorkload.settled("web", 1, Set.of(), 1, spec()));
    running(first, 0);
    long pid = pid("web-0");
    first.close();
    Cmd.check("kill", "-9", Long.toString(pid));
    await()
        .atMost(WAIT)
        .until(() -> host.config.dataDir().resolve("instances/web/web-0/exit").toFile().exists());

    LocalRuntime second = host.start();
    await().atMost(WAIT).until(() -> running(second, 0).restarts() == 1);
    assertThat(running(second, 0).lastExit().reason()).isEqualTo(ExitReason.KILLED);
    assertThat(pid("web-0")).isNotEqualTo(pid);
  }
}
