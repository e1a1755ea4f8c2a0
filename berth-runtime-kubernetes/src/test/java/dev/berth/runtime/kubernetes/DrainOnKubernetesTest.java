package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppRequest;
import dev.berth.core.node.Drain;
import dev.berth.core.node.DrainController;
import dev.berth.core.testing.CoreHarness;
import dev.berth.core.testing.InMemoryDrainStore;
import dev.berth.core.time.ManualScheduler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Core's drain controller through the real Kubernetes runtime against fabric8's mock API server:
 * the node is cordoned ({@code spec.unschedulable}), Berth's pods on it leave through the eviction
 * subresource behind the app's PodDisruptionBudget, a budget's refusal (429, injected: the CRUD
 * mock enforces no budget) is the instance's blocking reason and is retried, and a drain the budget
 * keeps refusing stops at its deadline (moved clock). The test plays the StatefulSet controller: an
 * evicted pod comes back, ready, on the other node.
 */
class DrainOnKubernetesTest {
  static final String NS = KubernetesRuntimeTest.NS;
  static final Duration AT_MOST = Duration.ofSeconds(20);
  final CoreHarness core = new CoreHarness();
  final InMemoryDrainStore store = new InMemoryDrainStore();
  final List<Drain> notified = new CopyOnWriteArrayList<>();
  final List<String> reasons = new CopyOnWriteArrayList<>();
  ApiServer api;
  KubernetesClient client;
  KubernetesRuntime runtime;
  DrainController drains;

  @BeforeEach
  void start() {
    api = new ApiServer();
    client = api.client();
    runtime =
        new KubernetesRuntime(
            api.clientWithoutRetries(),
            new KubernetesRuntime.Options(
                "k8s", NS, false, Duration.ofSeconds(1), 3, Duration.ofMillis(1)),
            new ManualScheduler(Instant.parse("2025-01-01T00:00:00Z")));
    core.clusters.add(runtime);
    drains =
        new DrainController(
            store,
            core.clusters,
            core.apps,
            core.releases,
            core.traffic,
            new DrainController.Outlets(core.events, notified::add, core.appQueue::enqueue),
            core.time);
    client.resource(NodeManagementTest.node("node-1", Map.of())).create();
    client.resource(NodeManagementTest.node("node-2", Map.of())).create();
    core.appService.create(
        new AppRequest("web", null, "k8s", Specs.minimal("img:1"), 2, null), "alice");
    core.settle();
    Pods.createReady(client, "web", 2, 1); // Pods puts them on node-1
    await()
        .atMost(AT_MOST)
        .until(() -> runtime.instances("web").size() == 2 && runtime.nodes().size() == 2);
  }

  @AfterEach
  void stop() {
    runtime.close();
    client.close();
    api.close();
  }

  @Test
  void evictsBerthsPodsThroughTheSubresourceHonouringTheBudget() {
    api.refuseEvictions(1);

    drains.start("k8s", "node-1", Duration.ofMinutes(10), false, "root");
    core.settle();
    assertThat(client.nodes().withName("node-1").get().getSpec().getUnschedulable()).isTrue();
    for (int n = 0; n < 40 && !drain().state().isFinal(); n++) {
      tick();
    }

    assertThat(drain().state()).isEqualTo(Drain.State.SUCCEEDED);
    assertThat(reasons)
        .anySatisfy(
            r -> assertThat(r).contains("disruption budget of app web", "PodDisruptionBudget web"));
    assertThat(api.evictions())
        .containsExactly(NS + "/web-0 policy/v1", NS + "/web-0 policy/v1", NS + "/web-1 policy/v1");
    assertThat(client.pods().inNamespace(NS).list().getItems())
        .extracting(p -> p.getSpec().getNodeName())
        .containsOnly("node-2");
    assertThat(
            client
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(NS)
                .withName("web")
                .get()
                .getSpec()
                .getMaxUnavailable()
                .getIntVal())
        .isEqualTo(1);
    assertThat(core.events.reasons("web-0")).contains("Evicted");
  }

  @Test
  void stopsAtTheDeadlineWhileTheBudgetRefusesAndSaysWhy() {
    api.refuseEvictions(Integer.MAX_VALUE);

    drains.start("k8s", "node-1", Duration.ofMinutes(1), false, "root");
    core.settle();
    for (int n = 0; n < 30 && !drain().state().isFinal(); n++) {
      tick();
    }

    assertThat(drain().state()).isEqualTo(Drain.State.STOPPED_AT_DEADLINE);
    assertThat(notified).singleElement().satisfies(d -> assertThat(d.node()).isEqualTo("node-1"));
    assertThat(reasons)
        .anySatisfy(r -> assertThat(r).contains("PodDisruptionBudget web", "refused the eviction"));
    assertThat(core.events.all())
        .filteredOn(e -> e.reason().equals("DrainDeadline"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.message()).contains("web-0: the disruption budget of app web"));
    assertThat(api.evictions().size()).as("refused evictions were retried").isGreaterThan(1);
    assertThat(client.pods().inNamespace(NS).list().getItems())
        .extracting(p -> p.getSpec().getNodeName())
        .containsOnly("node-1");
    assertThat(core.events.reasons("node/node-1")).contains("DrainDeadline");
  }

  private Drain drain() {
    return drains.find("k8s", "node-1").orElseThrow();
  }

  /**
   * One retry period of the drain, after the informers caught up with the API server; then what the
   * StatefulSet controller would do: an evicted pod is made again, ready, on node-2.
   */
  private void tick() {
    core.advance(DrainController.RETRY);
    drain().instances().stream()
        .map(Drain.Item::blockedReason)
        .filter(r -> r != null)
        .forEach(reasons::add);
    List<String> recreated = new ArrayList<>();
    for (int o = 0; o < 2; o++) {
      if (client.pods().inNamespace(NS).withName("web-" + o).get() == null) {
        Pod p = Pods.pod("web", o, 1, "Running", true, 0);
        p.getSpec().setNodeName("node-2");
        client.resource(p).create();
        recreated.add(p.getMetadata().getName());
      }
    }
    await()
        .atMost(AT_MOST)
        .until(
            () ->
                runtime.instances("web").size() == 2
                    && runtime.instances("web").stream()
                        .filter(i -> recreated.contains(i.id()))
                        .allMatch(i -> "node-2".equals(i.node())));
  }
}
