package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.core.node.Eviction;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.support.NotFoundException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node actions of the Kubernetes runtime against fabric8's mock API server: cordon, labels,
 * eviction through the eviction subresource behind a PodDisruptionBudget per app (a budget's 429
 * injected), and the node view's requests, limits, instances, taints and free pod slots.
 */
class NodeManagementTest {
  static final String NS = KubernetesRuntimeTest.NS;
  static final Duration AT_MOST = Duration.ofSeconds(20);
  ApiServer api;
  KubernetesClient client;
  KubernetesRuntime runtime;

  @BeforeEach
  void start() {
    api = new ApiServer();
    client = api.client();
    runtime = KubernetesRuntimeTest.runtime(api.clientWithoutRetries());
  }

  @AfterEach
  void stop() {
    runtime.close();
    client.close();
    api.close();
  }

  @Test
  void cordonSetsSpecUnschedulableAndUncordonClearsIt() {
    client.resource(node("node-1", Map.of())).create();
    await().atMost(AT_MOST).until(() -> runtime.nodes().size() == 1);

    runtime.setSchedulable("node-1", false);
    assertThat(client.nodes().withName("node-1").get().getSpec().getUnschedulable()).isTrue();
    await().atMost(AT_MOST).until(() -> !runtime.nodes().getFirst().schedulable());

    runtime.setSchedulable("node-1", true);
    assertThat(client.nodes().withName("node-1").get().getSpec().getUnschedulable())
        .isNotEqualTo(Boolean.TRUE);
    await().atMost(AT_MOST).until(() -> runtime.nodes().getFirst().schedulable());
  }

  @Test
  void labelsAreMergedAndANullValueRemovesOne() {
    client.resource(node("node-1", Map.of("disk", "hdd", "rack", "r1"))).create();
    Map<String, String> change = new HashMap<>();
    change.put("disk", "ssd");
    change.put("rack", null);
    change.put("gpu", "a100");

    runtime.labelNode("node-1", change);

    assertThat(client.nodes().withName("node-1").get().getMetadata().getLabels())
        .containsEntry("disk", "ssd")
        .containsEntry("gpu", "a100")
        .containsEntry("kubernetes.io/hostname", "node-1")
        .doesNotContainKey("rack");
  }

  @Test
  void aMissingNodeIsNotFound() {
    assertThatThrownBy(() -> runtime.setSchedulable("nowhere", false))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> runtime.labelNode("nowhere", Map.of("a", "b")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void evictsThroughTheEvictionSubresourceBehindTheAppsBudget() {
    Pods.createReady(client, "web", 2, 1);

    Eviction e = runtime.evict("web", 1, 1);

    assertThat(e).isEqualTo(Eviction.DONE);
    assertThat(api.evictions()).containsExactly(NS + "/web-1 policy/v1");
    assertThat(client.pods().inNamespace(NS).withName("web-1").get()).isNull();
    assertThat(client.pods().inNamespace(NS).withName("web-0").get()).isNotNull();
    PodDisruptionBudget pdb = budget("web");
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of(Labels.APP, "web"));
    assertThat(Labels.managed(pdb)).isTrue();
  }

  @Test
  void aBudgetsRefusalIsReportedAsTheBlockingReasonAndALaterTryEvicts() {
    Pods.createReady(client, "web", 3, 1);
    client.resource(Pods.pod("web", 3, 1, "Running", false, 0)).create();
    await().atMost(AT_MOST).until(() -> runtime.instances("web").size() == 4);
    api.refuseEvictions(1);

    Eviction refused = runtime.evict("web", 0, 1);

    assertThat(refused.evicted()).isFalse();
    assertThat(refused.blockedReason())
        .contains("disruption budget of app web")
        .contains("PodDisruptionBudget web")
        .contains("at most 1 unavailable")
        .contains("3 of 4 instances ready, at least 3 must stay");
    assertThat(client.pods().inNamespace(NS).withName("web-0").get()).isNotNull();

    assertThat(runtime.evict("web", 0, 1)).isEqualTo(Eviction.DONE);
    assertThat(api.evictions()).hasSize(2);
    assertThat(client.pods().inNamespace(NS).withName("web-0").get()).isNull();
  }

  @Test
  void anInstanceAlreadyGoneCountsAsEvicted() {
    assertThat(runtime.evict("web", 7, 1)).isEqualTo(Eviction.DONE);
  }

  @Test
  void theBudgetFollowsMaxUnavailableAndIsDeletedWithTheApp() {
    runtime.applyApp(Specs.settled("web", 3, Specs.minimal("img:1")));
    Pods.createReady(client, "web", 3, 1);
    runtime.evict("web", 0, 1);
    long writes = runtime.writes();
    runtime.evict("web", 1, 1);
    assertThat(runtime.writes()).as("the same budget is not written again").isEqualTo(writes + 1);

    runtime.evict("web", 2, 2);
    assertThat(budget("web").getSpec().getMaxUnavailable().getIntVal()).isEqualTo(2);

    runtime.deleteApp("web");
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("web").get())
        .isNull();
  }

  @Test
  void aBudgetBerthDidNotWriteIsLeftAloneAndNamed() {
    client
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(new io.fabric8.kubernetes.api.model.IntOrString(3))
                .endSpec()
                .build())
        .create();
    Pods.createReady(client, "web", 1, 1);

    assertThatThrownBy(() -> runtime.evict("web", 0, 1))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("PodDisruptionBudget " + NS + "/web exists and was not created by");
    assertThat(budget("web").getSpec().getMinAvailable().getIntVal()).isEqualTo(3);
    assertThat(api.evictions()).isEmpty();
  }

  @Test
  void theNodeViewSumsTheRequestsOfEveryPodOnTheNode() {
    Node n = node("node-1", Map.of());
    n.getSpec()
        .setTaints(
            List.of(
                new io.fabric8.kubernetes.api.model.Taint(
                    "NoSchedule", "dedicated", null, "batch")));
    client.resource(n).create();
    client.resource(node("node-2", Map.of())).create();
    client
        .resource(pod(NS, "web-0", "node-1", "Running", "500m", "512Mi", "1", "512Mi", true))
        .create();
    client
        .resource(
            pod("kube-system", "dns", "node-1", "Running", "250m", "256Mi", null, null, false))
        .create();
    client
        .resource(pod("batch", "done", "node-1", "Succeeded", "2", "4Gi", null, null, false))
        .create();
    client
        .resource(pod("other", "far", "node-2", "Running", "3", "1Gi", null, null, false))
        .create();

    await()
        .atMost(AT_MOST)
        .until(
            () ->
                runtime.nodes().size() == 2
                    && runtime.nodes().getFirst().usage() != null
                    && runtime.nodes().getFirst().usage().pods() == 2);
    NodeInfo one = runtime.nodes().getFirst();
    assertThat(one.name()).isEqualTo("node-1");
    assertThat(one.usage().cpu()).isEqualTo(0.75);
    assertThat(one.usage().memoryMiB()).isEqualTo(768);
    assertThat(one.details().limits().cpu()).isEqualTo(1.0);
    assertThat(one.details().limits().memoryMiB()).isEqualTo(512);
    assertThat(one.details().instances()).isEqualTo(1);
    assertThat(one.details().taints())
        .containsExactly(new NodeInfo.Taint("dedicated", "batch", "NoSchedule"));
    assertThat(one.details().headroom()).isEqualTo(new NodeInfo.Headroom(108, null, null));
    assertThat(runtime.nodes().get(1).usage().cpu()).isEqualTo(3.0);
  }

  @Test
  void withoutTheRightToReadEveryPodRequestedIsUnknownNotZero() {
    runtime.close();
    api.forbid("/api/v1/pods");
    runtime = KubernetesRuntimeTest.runtime(api.clientWithoutRetries());
    client.resource(node("node-1", Map.of())).create();

    await().atMost(AT_MOST).until(() -> runtime.nodes().size() == 1);
    await().atMost(AT_MOST).until(() -> runtime.lastWatchError().isPresent());
    assertThat(runtime.nodes().getFirst().usage()).isNull();
    assertThat(runtime.nodes().getFirst().allocatable().pods()).isEqualTo(110);
  }

  private PodDisruptionBudget budget(String app) {
    PodDisruptionBudget pdb =
        client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(app).get();
    assertThat(pdb).as("PodDisruptionBudget " + app).isNotNull();
    return pdb;
  }

  static Node node(String name, Map<String, String> labels) {
    Map<String, String> all = new HashMap<>(labels);
    all.put("kubernetes.io/hostname", name);
    Map<String, Quantity> allocatable =
        Map.of(
            "cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "pods", new Quantity("110"));
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(all)
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .withCapacity(allocatable)
        .withAllocatable(allocatable)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Pod pod(
      String namespace,
      String name,
      String node,
      String phase,
      String cpu,
      String memory,
      String cpuLimit,
      String memoryLimit,
      boolean berth) {
    Map<String, Quantity> requests =
        Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory));
    Map<String, Quantity> limits = new HashMap<>();
    if (cpuLimit != null) {
      limits.put("cpu", new Quantity(cpuLimit));
      limits.put("memory", new Quantity(memoryLimit));
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(berth ? Labels.app(name.replaceFirst("-\\d+$", "")) : Map.of("x", "y"))
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("c")
        .withImage("img")
        .withNewResources()
        .withRequests(requests)
        .withLimits(limits)
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }
}
