package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Scheduling;
import dev.berth.core.event.EventType;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.node.PoolDirectory;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.task.RunScheduling;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.time.ManualScheduler;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An app's or a task run's {@code scheduling.pool} becomes, on the mock API server, the pool's own
 * node selector and exactly the toleration of its taint, read from the pool directory: a pool is
 * "the nodes carrying these labels", maybe tainted, not a {@code berth.dev/pool} label. A pool that
 * is gone places nothing and says so once.
 */
class PoolPlacementTest {
  static final String NS = "apps";
  static final NodeInfo.Taint BATCH_TAINT = new NodeInfo.Taint("dedicated", "batch", "NoSchedule");
  final Map<String, PoolDirectory.Definition> pools = new ConcurrentHashMap<>();
  final PoolDirectory directory =
      new PoolDirectory() {
        @Override
        public Set<String> names(String cluster) {
          return "k8s".equals(cluster) ? Set.copyOf(pools.keySet()) : Set.of();
        }

        @Override
        public Optional<Definition> definition(String cluster, String pool) {
          return "k8s".equals(cluster) ? Optional.ofNullable(pools.get(pool)) : Optional.empty();
        }
      };
  ApiServer api;
  KubernetesClient client;
  KubernetesRuntime runtime;
  final List<Observation> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    pools.put("batch", new PoolDirectory.Definition(Map.of("disk", "ssd"), BATCH_TAINT));
    api = new ApiServer();
    client = api.client();
    runtime =
        new KubernetesRuntime(
            api.clientWithoutRetries(),
            new KubernetesRuntime.Options(
                "k8s", NS, false, Duration.ofSeconds(1), 3, Duration.ofMillis(1)),
            new ManualScheduler(Instant.parse("2025-01-01T00:00:00Z")),
            directory);
    runtime.observe(seen::add);
  }

  @AfterEach
  void stop() {
    runtime.close();
    client.close();
    api.close();
  }

  @Test
  void anAppOnAPoolSelectsThePoolsLabelsAndToleratesExactlyItsTaint() {
    runtime.applyApp(Specs.settled("web", 2, onPool("batch", Map.of("zone", "z1"))));
    PodSpec pod = appPod("web");
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("disk", "ssd", "zone", "z1"));
    assertThat(poolTolerations(pod))
        .containsExactly(new Toleration("NoSchedule", "dedicated", "Equal", null, "batch"));
  }

  @Test
  void aRunOnAPoolGetsTheSameSelectorAndToleration() {
    runtime.startRun(run("report-1", new RunScheduling("batch", null)));
    PodSpec pod =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(NS)
            .withName("report-1")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("disk", "ssd"));
    assertThat(pod.getTolerations())
        .containsExactly(new Toleration("NoSchedule", "dedicated", "Equal", null, "batch"));
  }

  @Test
  void aTaintWithoutValueIsToleratedByExistsAndAnEmptySelectorSelectsNothing() {
    pools.put(
        "gpu",
        new PoolDirectory.Definition(
            Map.of(), new NodeInfo.Taint("nvidia.com/gpu", "", "NoExecute")));
    runtime.applyApp(Specs.settled("train", 1, onPool("gpu", Map.of())));
    PodSpec pod = appPod("train");
    assertThat(pod.getNodeSelector()).isNullOrEmpty();
    assertThat(poolTolerations(pod))
        .containsExactly(new Toleration("NoExecute", "nvidia.com/gpu", "Exists", null, null));
  }

  @Test
  void anAppWhosePoolIsGoneStaysDeployableWithoutItsPlacement() {
    var w = Specs.settled("web", 1, onPool("deleted", Map.of("zone", "z1")));
    runtime.applyApp(w);
    runtime.applyApp(w);
    PodSpec pod = appPod("web");
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("zone", "z1"));
    assertThat(poolTolerations(pod)).isEmpty();
    assertThat(seen)
        .filteredOn(o -> o instanceof Observation.Happened)
        .extracting(o -> ((Observation.Happened) o).event())
        .filteredOn(e -> e.reason().equals("PoolGone"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.WARNING);
              assertThat(e.app()).isEqualTo("web");
              assertThat(e.message()).contains("pool 'deleted' is gone");
            });
  }

  @Test
  void aChangedPoolReachesThePodTemplateAtTheNextApply() {
    var w = Specs.settled("web", 1, onPool("batch", Map.of()));
    runtime.applyApp(w);
    pools.put("batch", new PoolDirectory.Definition(Map.of("disk", "nvme"), null));
    runtime.applyApp(w);
    PodSpec pod = appPod("web");
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("disk", "nvme"));
    assertThat(poolTolerations(pod)).isEmpty();
  }

  static AppSpec onPool(String pool, Map<String, String> nodeLabels) {
    AppSpec b = Specs.minimal("img:1");
    return new AppSpec(
        b.image(),
        b.command(),
        b.args(),
        b.env(),
        b.ports(),
        b.resources(),
        b.health(),
        b.lifecycle(),
        new Scheduling(pool, nodeLabels, null, Scheduling.Spread.NONE, null));
  }

  static RunWorkload run(String id, RunScheduling scheduling) {
    return new RunWorkload(
        id,
        "report",
        new TaskSpec("busybox:1", List.of("true"), null, null, null, null, scheduling),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        0,
        false);
  }

  private PodSpec appPod(String app) {
    return client
        .apps()
        .statefulSets()
        .inNamespace(NS)
        .withName(app)
        .get()
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  /** The pod's tolerations besides those of unreachable and not-ready nodes. */
  private static List<Toleration> poolTolerations(PodSpec pod) {
    return pod.getTolerations().stream()
        .filter(
            t ->
                !Placement.UNREACHABLE.equals(t.getKey())
                    && !Placement.NOT_READY.equals(t.getKey()))
        .toList();
  }
}
