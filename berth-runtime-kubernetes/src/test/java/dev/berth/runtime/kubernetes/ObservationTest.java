package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.event.EventType;
import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.task.RunState;
import dev.berth.core.time.ManualScheduler;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Informer-driven state: pods become instances and events, Jobs become runs, nodes become nodes.
 */
@EnableKubernetesMockClient(crud = true)
class ObservationTest {
  static final String NS = KubernetesRuntimeTest.NS;
  static final Duration AT_MOST = Duration.ofSeconds(20);
  KubernetesMockServer server;
  KubernetesClient client;
  KubernetesRuntime runtime;
  final List<Observation> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    ManualScheduler clock = new ManualScheduler(Instant.parse("2025-01-01T00:00:00Z"));
    runtime =
        new KubernetesRuntime(
            server.createClient(),
            new KubernetesRuntime.Options(
                "k8s", NS, false, Duration.ofMinutes(1), 3, Duration.ofMillis(1)),
            clock);
    runtime.observe(seen::add);
    await().atMost(AT_MOST).until(runtime::synced);
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  @Test
  void mapsPodPhasesReadinessAndRestartsToInstances() {
    client.resource(Pods.pod("web", 0, 2, "Pending", false, 0)).create();
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(runtime.instances("web"))
                    .singleElement()
                    .satisfies(
                        i -> {
                          assertThat(i.id()).isEqualTo("web-0");
                          assertThat(i.revision()).isEqualTo(2);
                          assertThat(i.state()).isEqualTo(InstanceState.PENDING);
                        }));
    client.pods().inNamespace(NS).resource(Pods.pod("web", 0, 2, "Running", true, 0)).update();
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(runtime.instances("web"))
                    .singleElement()
                    .satisfies(
                        i -> {
                          assertThat(i.state()).isEqualTo(InstanceState.RUNNING);
                          assertThat(i.ready()).isTrue();
                          assertThat(i.ip()).isEqualTo("10.1.0.10");
                          assertThat(i.hostIp()).isEqualTo("192.168.0.1");
                          assertThat(i.node()).isEqualTo("node-1");
                        }));
    assertThat(events("Ready")).hasSize(1);
    client.pods().inNamespace(NS).withName("web-0").delete();
    await().atMost(AT_MOST).until(() -> runtime.instances("web").isEmpty());
    assertThat(seen).anySatisfy(o -> assertThat(o).isInstanceOf(Observation.InstanceRemoved.class));
  }

  @Test
  void reportsOomKillsAsInstanceExitsAndEvents() {
    client.resource(Pods.pod("web", 1, 1, "Running", true, 0)).create();
    await().atMost(AT_MOST).until(() -> runtime.instances("web").size() == 1);
    Pod oom =
        new PodBuilder(Pods.pod("web", 1, 1, "Running", false, 1))
            .editStatus()
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("app")
                    .withRestartCount(1)
                    .withNewState()
                    .withNewRunning()
                    .withStartedAt("2025-01-01T00:01:00Z")
                    .endRunning()
                    .endState()
                    .withNewLastState()
                    .withNewTerminated()
                    .withExitCode(137)
                    .withReason("OOMKilled")
                    .withFinishedAt("2025-01-01T00:00:59Z")
                    .endTerminated()
                    .endLastState()
                    .build())
            .endStatus()
            .build();
    client.pods().inNamespace(NS).resource(oom).update();
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(runtime.instances("web"))
                    .singleElement()
                    .satisfies(
                        i -> {
                          assertThat(i.restarts()).isEqualTo(1);
                          assertThat(i.lastExit().reason()).isEqualTo(ExitReason.OOM);
                        }));
    assertThat(events("OOMKilled"))
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.WARNING));
  }

  @Test
  void reportsCrashLoopsEvictionsAndUnschedulablePods() {
    Pod crash =
        new PodBuilder(Pods.pod("web", 0, 1, "Running", false, 3))
            .editStatus()
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("app")
                    .withRestartCount(3)
                    .withNewState()
                    .withNewWaiting()
                    .withReason("CrashLoopBackOff")
                    .withMessage("back-off 40s")
                    .endWaiting()
                    .endState()
                    .build())
            .endStatus()
            .build();
    client.resource(crash).create();
    Pod unschedulable =
        new PodBuilder(Pods.pod("web", 1, 1, "Pending", false, 0))
            .editStatus()
            .withConditions()
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules")
            .endCondition()
            .endStatus()
            .build();
    client.resource(unschedulable).create();
    Pod evicted =
        new PodBuilder(Pods.pod("web", 2, 1, "Failed", false, 0))
            .editStatus()
            .withReason("Evicted")
            .withMessage("The node was low on resource: memory.")
            .endStatus()
            .build();
    client.resource(evicted).create();
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(runtime.instances("web"))
                    .extracting(i -> i.state())
                    .containsExactly(
                        InstanceState.BACKOFF, InstanceState.PENDING, InstanceState.FAILED));
    assertThat(runtime.instances("web").get(1).message())
        .contains("cannot be scheduled")
        .contains("anti-affinity");
    assertThat(events("Evicted"))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("low on resource"));
    client
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("web-1.1")
                .withNamespace(NS)
                .withUid("u1")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName("web-1")
                .withNamespace(NS)
                .endInvolvedObject()
                .withReason("FailedScheduling")
                .withType("Warning")
                .withMessage("0/2 nodes are available")
                .withCount(1)
                .withLastTimestamp("2025-01-01T00:00:05Z")
                .build())
        .create();
    client
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("web-0.1")
                .withNamespace(NS)
                .withUid("u2")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName("web-0")
                .withNamespace(NS)
                .endInvolvedObject()
                .withReason("BackOff")
                .withType("Warning")
                .withMessage("Back-off restarting failed container")
                .withCount(1)
                .withLastTimestamp("2025-01-01T00:00:06Z")
                .build())
        .create();
    client
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("old.1")
                .withNamespace(NS)
                .withUid("u3")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName("web-0")
                .withNamespace(NS)
                .endInvolvedObject()
                .withReason("BackOff")
                .withType("Warning")
                .withMessage("before Berth started")
                .withCount(1)
                .withLastTimestamp("2024-12-31T00:00:00Z")
                .build())
        .create();
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () -> {
              assertThat(events("FailedScheduling"))
                  .singleElement()
                  .satisfies(
                      e -> {
                        assertThat(e.kind()).isEqualTo("instance");
                        assertThat(e.name()).isEqualTo("web-1");
                        assertThat(e.app()).isEqualTo("web");
                      });
              assertThat(events("BackOff"))
                  .singleElement()
                  .satisfies(e -> assertThat(e.message()).contains("Back-off"));
            });
  }

  @Test
  void mapsRunsToJobsAndReclaimsThemWhenTheySucceed() {
    runtime.startRun(Specs.run("report-1", 2, Duration.ofSeconds(30), false));
    runtime.startRun(Specs.run("report-1", 2, Duration.ofSeconds(30), false));
    Job job = client.batch().v1().jobs().inNamespace(NS).withName("report-1").get();
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(30L);
    await()
        .atMost(AT_MOST)
        .until(
            () -> runtime.run("report-1").map(RunStatus::state).orElse(null) == RunState.STARTING);
    Pod pod = runPod("report-1", "Running");
    client.resource(pod).create();
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .resource(
            new JobBuilder(job)
                .editOrNewStatus()
                .withActive(1)
                .withStartTime("2025-01-01T00:00:01Z")
                .endStatus()
                .build())
        .updateStatus();
    await()
        .atMost(AT_MOST)
        .until(
            () -> runtime.run("report-1").map(RunStatus::state).orElse(null) == RunState.RUNNING);
    assertThat(runtime.run("report-1").orElseThrow().node()).isEqualTo("node-1");
    complete("report-1", "Complete", null);
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(runtime.run("report-1"))
                    .get()
                    .satisfies(
                        r -> {
                          assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
                          assertThat(r.reclaimed()).isTrue();
                        }));
    assertThat(client.batch().v1().jobs().inNamespace(NS).withName("report-1").get()).isNull();
    assertThat(client.pods().inNamespace(NS).withLabel(Labels.RUN, "report-1").list().getItems())
        .isEmpty();
  }

  @Test
  void reportsATimedOutRunAndKeepsItWhenAskedTo() {
    runtime.startRun(Specs.run("report-2", 0, Duration.ofSeconds(5), true));
    complete("report-2", "Failed", "DeadlineExceeded");
    await()
        .atMost(AT_MOST)
        .until(
            () -> runtime.run("report-2").map(RunStatus::state).orElse(null) == RunState.TIMED_OUT);
    assertThat(runtime.run("report-2").orElseThrow().reclaimed()).isFalse();
    assertThat(client.batch().v1().jobs().inNamespace(NS).withName("report-2").get())
        .as("kept on failure")
        .isNotNull();
    runtime.reclaimRun("report-2");
    await()
        .atMost(AT_MOST)
        .until(() -> runtime.run("report-2").map(RunStatus::reclaimed).orElse(false));
    assertThat(client.batch().v1().jobs().inNamespace(NS).withName("report-2").get()).isNull();
  }

  @Test
  void reclaimsAFailedRunThatIsNotKept() {
    runtime.startRun(Specs.run("report-3", 1, Duration.ofSeconds(5), false));
    complete("report-3", "Failed", "BackoffLimitExceeded");
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(runtime.run("report-3"))
                    .get()
                    .satisfies(
                        r -> {
                          assertThat(r.state()).isEqualTo(RunState.FAILED);
                          assertThat(r.reclaimed()).isTrue();
                        }));
  }

  @Test
  void cancelsARun() {
    runtime.startRun(Specs.run("report-4", 0, Duration.ofSeconds(60), false));
    runtime.stopRun("report-4", Duration.ofSeconds(3));
    await()
        .atMost(AT_MOST)
        .until(
            () -> runtime.run("report-4").map(RunStatus::state).orElse(null) == RunState.CANCELLED);
  }

  @Test
  void listsNodesWithCapacityLabelsAndReadiness() {
    client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("node-1")
                .withLabels(Map.of(Labels.ZONE, "z1", Labels.POOL, "gpu", "disk", "ssd"))
                .endMetadata()
                .withNewStatus()
                .withCapacity(
                    Map.of(
                        "cpu",
                        new Quantity("4"),
                        "memory",
                        new Quantity("8Gi"),
                        "pods",
                        new Quantity("110")))
                .withAllocatable(
                    Map.of(
                        "cpu",
                        new Quantity("3500m"),
                        "memory",
                        new Quantity("7Gi"),
                        "pods",
                        new Quantity("110")))
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withLastHeartbeatTime("2026-12-03T09:00:05Z")
                .endCondition()
                .addNewCondition()
                .withType("MemoryPressure")
                .withStatus("False")
                .withReason("KubeletHasSufficientMemory")
                .endCondition()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("192.168.0.1")
                .endAddress()
                .endStatus()
                .build())
        .create();
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(runtime.nodes())
                    .singleElement()
                    .satisfies(
                        n -> {
                          assertThat(n.ip()).isEqualTo("192.168.0.1");
                          assertThat(n.zone()).isEqualTo("z1");
                          assertThat(n.pool()).isEqualTo("gpu");
                          assertThat(n.labels()).containsEntry("disk", "ssd");
                          assertThat(n.capacity().cpu()).isEqualTo(4.0);
                          assertThat(n.capacity().memoryMiB()).isEqualTo(8192);
                          assertThat(n.allocatable().cpu()).isEqualTo(3.5);
                          assertThat(n.ready()).isTrue();
                          assertThat(n.schedulable()).isTrue();
                          assertThat(n.conditions())
                              .extracting(c -> c.type() + "=" + c.status())
                              .containsExactly("Ready=True", "MemoryPressure=False");
                          // The kubelet's clock, for the inspection's clock-skew check.
                          assertThat(n.conditions().get(0).lastHeartbeat())
                              .isEqualTo(java.time.Instant.parse("2026-12-03T09:00:05Z"));
                          assertThat(n.conditions().get(1).lastHeartbeat()).isNull();
                        }));
  }

  private void complete(String runId, String type, String reason) {
    Job job = client.batch().v1().jobs().inNamespace(NS).withName(runId).get();
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NS)
        .resource(
            new JobBuilder(job)
                .editOrNewStatus()
                .withFailed("Failed".equals(type) ? 1 : 0)
                .withSucceeded("Complete".equals(type) ? 1 : 0)
                .addNewCondition()
                .withType(type)
                .withStatus("True")
                .withReason(reason)
                .withLastTransitionTime("2025-01-01T00:00:09Z")
                .endCondition()
                .endStatus()
                .build())
        .updateStatus();
  }

  private static Pod runPod(String runId, String phase) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(runId + "-abcde")
        .withNamespace(NS)
        .withLabels(Map.of(Labels.MANAGED_BY, Labels.BERTH, Labels.RUN, runId))
        .withCreationTimestamp("2025-01-01T00:00:01Z")
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .addNewContainer()
        .withName("run")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .withHostIP("192.168.0.1")
        .endStatus()
        .build();
  }

  private List<dev.berth.core.event.Event> events(String reason) {
    return seen.stream()
        .filter(o -> o instanceof Observation.Happened)
        .map(o -> ((Observation.Happened) o).event())
        .filter(e -> e.reason().equals(reason))
        .toList();
  }
}
