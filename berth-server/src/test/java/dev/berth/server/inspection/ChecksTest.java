package dev.berth.server.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.AppPhase;
import dev.berth.core.app.AppStatus;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.node.NodeInfo.Capacity;
import dev.berth.core.node.NodeInfo.Condition;
import dev.berth.server.charts.NodeReading;
import dev.berth.server.inspection.Facts.AppFact;
import dev.berth.server.inspection.Facts.CertificateFact;
import dev.berth.server.inspection.Facts.RegistryFact;
import dev.berth.server.inspection.Finding.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecksTest {
  static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
  static final Capacity CAP = new Capacity(2, 2048, 110);

  static NodeInfo node(String name, boolean ready, List<Condition> conditions) {
    return new NodeInfo(
        "c",
        name,
        "10.0.0.1",
        null,
        Map.of(),
        null,
        CAP,
        CAP,
        CAP,
        ready,
        ready,
        "runc",
        conditions);
  }

  static Facts facts(
      boolean local,
      List<NodeInfo> nodes,
      Map<String, NodeReading> readings,
      List<RegistryFact> registries,
      List<CertificateFact> certificates,
      List<AppFact> apps) {
    return new Facts("c", NOW, null, nodes, readings, null, local, registries, certificates, apps);
  }

  static Facts nodesOnly(boolean local, NodeInfo... nodes) {
    return facts(local, List.of(nodes), Map.of(), List.of(), List.of(), List.of());
  }

  @Test
  void aRuntimeThatDoesNotAnswerFailsAndNodesAreNotJudged() {
    Facts f =
        new Facts(
            "k8s",
            NOW,
            "Unreachable: connection refused",
            List.of(),
            Map.of(),
            null,
            false,
            List.of(),
            List.of(),
            List.of());

    List<Finding> all = Checks.all(f);
    assertThat(all)
        .filteredOn(x -> x.status() == Status.FAIL)
        .extracting(Finding::check, Finding::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "runtime", "runtime unreachable: Unreachable: connection refused"));
  }

  @Test
  void aNodeThatIsNotReadyFailsNamingItsBadConditions() {
    Facts f =
        nodesOnly(
            false,
            node("a", true, List.of()),
            node(
                "b",
                false,
                List.of(
                    new Condition("Ready", "False", "KubeletDown", "kubelet stopped"),
                    new Condition("DiskPressure", "True", null, null),
                    new Condition("MemoryPressure", "False", null, null))));

    assertThat(Checks.nodesReady(f))
        .extracting(Finding::item, Finding::status, Finding::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", Status.OK, "ready"),
            org.assertj.core.groups.Tuple.tuple(
                "b",
                Status.FAIL,
                "node not ready: Ready=False (kubelet stopped), DiskPressure=True"));
  }

  @Test
  void anUnreachableRegistryFailsWithItsUrlAndReason() {
    Facts f =
        facts(
            true,
            List.of(),
            Map.of(),
            List.of(
                new RegistryFact("hub", "http://127.0.0.1:5000", true, "answers"),
                new RegistryFact("gone", "http://127.0.0.1:1", false, "connection refused")),
            List.of(),
            List.of());

    assertThat(Checks.registries(f))
        .extracting(Finding::item, Finding::status, Finding::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "hub", Status.OK, "reachable at http://127.0.0.1:5000"),
            org.assertj.core.groups.Tuple.tuple(
                "gone",
                Status.FAIL,
                "registry unreachable at http://127.0.0.1:1: connection refused"));
  }

  @Test
  void headroomWarnsFromEightyAndFailsFromNinetyPercentPerResource() {
    NodeReading r =
        new NodeReading(null, null, null, 81.0, 100.0, 95.0, 100.0, 10.0, 100.0, 50.0, 100.0);
    Facts f =
        facts(
            true,
            List.of(node("host", true, List.of())),
            Map.of("host", r),
            List.of(),
            List.of(),
            List.of());

    assertThat(Checks.headroom(f))
        .extracting(Finding::check, Finding::status, Finding::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("disk", Status.OK, "disk at 50.0 % of the limit"),
            org.assertj.core.groups.Tuple.tuple(
                "disk", Status.OK, "image storage at 10.0 % of the limit"),
            org.assertj.core.groups.Tuple.tuple(
                "pids", Status.FAIL, "threads at 95.0 % of the limit"),
            org.assertj.core.groups.Tuple.tuple(
                "conntrack", Status.WARN, "conntrack entries at 81.0 % of the limit"));
  }

  @Test
  void headroomSaysMeasurementsAreUnavailableWhenTheSourceIsDown() {
    Facts f =
        new Facts(
            "c",
            NOW,
            null,
            List.of(node("host", true, List.of())),
            Map.of(),
            "prometheus down",
            true,
            List.of(),
            List.of(),
            List.of());

    assertThat(Checks.headroom(f))
        .extracting(Finding::status, Finding::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Status.WARN, "measurements unavailable: prometheus down"));
  }

  @Test
  void clockSkewIsZeroLocallyAndAKubernetesHeartbeatFromTheFutureIsSkew() {
    assertThat(Checks.clockSkew(nodesOnly(true, node("host", true, List.of()))))
        .extracting(Finding::status, Finding::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Status.OK, "runs on this server's clock (skew 0 s)"));

    NodeInfo ahead = node("ahead", true, List.of(ready(NOW.plusSeconds(45))));
    NodeInfo slightly = node("slightly", true, List.of(ready(NOW.plusSeconds(5))));
    NodeInfo recent = node("recent", true, List.of(ready(NOW.minusSeconds(20))));
    NodeInfo stale = node("stale", true, List.of(ready(NOW.minus(Duration.ofMinutes(10)))));
    NodeInfo silent = node("silent", true, List.of());

    assertThat(Checks.clockSkew(nodesOnly(false, ahead, slightly, recent, stale, silent)))
        .extracting(Finding::item, Finding::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ahead", Status.FAIL),
            org.assertj.core.groups.Tuple.tuple("slightly", Status.WARN),
            org.assertj.core.groups.Tuple.tuple("recent", Status.OK),
            org.assertj.core.groups.Tuple.tuple("stale", Status.WARN),
            org.assertj.core.groups.Tuple.tuple("silent", Status.WARN));
  }

  static Condition ready(Instant heartbeat) {
    return new Condition("Ready", "True", "KubeletReady", "ok", heartbeat);
  }

  @Test
  void certificatesWarnThirtyDaysAndFailSevenDaysBeforeExpiry() {
    Facts f =
        facts(
            true,
            List.of(),
            Map.of(),
            List.of(),
            List.of(
                new CertificateFact("registry hub", "CN=hub", NOW.plus(Duration.ofDays(90))),
                new CertificateFact("registry soon", "CN=soon", NOW.plus(Duration.ofDays(20))),
                new CertificateFact("cluster k client", "CN=admin", NOW.plus(Duration.ofDays(2))),
                new CertificateFact("registry old", "CN=old", NOW.minusSeconds(1))),
            List.of());

    assertThat(Checks.certificates(f))
        .extracting(Finding::item, Finding::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("registry hub", Status.OK),
            org.assertj.core.groups.Tuple.tuple("registry soon", Status.WARN),
            org.assertj.core.groups.Tuple.tuple("cluster k client", Status.FAIL),
            org.assertj.core.groups.Tuple.tuple("registry old", Status.FAIL));
    assertThat(Checks.certificates(f).get(2).message())
        .startsWith("certificate near expiry (2 days left): CN=admin");
  }

  @Test
  void crashLoopingAndFailingAppsFailAndDegradedOnesWarn() {
    Facts f =
        facts(
            true,
            List.of(),
            Map.of(),
            List.of(),
            List.of(),
            List.of(
                app("loop", AppPhase.DEGRADED, "CrashLoopBackOff", "loop-0 exited 1", 7),
                app("broken", AppPhase.PENDING, "FailedToStart", "image missing", 0),
                app("slow", AppPhase.DEGRADED, "NotReady", "slow-1 not ready", 0),
                app("fine", AppPhase.RUNNING, "AllReady", "2 of 2 ready", 1)));

    assertThat(Checks.apps(f))
        .extracting(Finding::item, Finding::status, Finding::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "loop", Status.FAIL, "app crash-looping: loop-0 exited 1"),
            org.assertj.core.groups.Tuple.tuple(
                "broken", Status.FAIL, "app failing to start: image missing"),
            org.assertj.core.groups.Tuple.tuple(
                "slow", Status.WARN, "app degraded (NotReady): slow-1 not ready"),
            org.assertj.core.groups.Tuple.tuple("fine", Status.OK, "running, 1 restarts at most"));
  }

  static AppFact app(String name, AppPhase phase, String reason, String message, int restarts) {
    return new AppFact(
        name, "default", new AppStatus(phase, 0, 1, 1, 1, 0, message, reason, NOW), restarts);
  }

  @Test
  void countsFindingsPerStatus() {
    List<Finding> f =
        List.of(
            Finding.ok("a", "x", "m"), Finding.fail("b", "y", "m"), Finding.fail("c", "z", "m"));
    assertThat(Checks.count(f))
        .containsEntry(Status.OK, 1L)
        .containsEntry(Status.FAIL, 2L)
        .containsEntry(Status.WARN, 0L);
  }
}
