package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.Observation;
import dev.berth.core.time.ManualScheduler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Offline on Kubernetes: the pod keeps running but its traffic label turns {@code off}, which the
 * app's Service does not select, so it leaves the Service's endpoints and DNS names; online turns
 * it back. Against fabric8's mock API server in CRUD mode (which stores objects but computes no
 * endpoints: the test checks the label against the Service's selector, as the endpoint controller
 * does).
 */
@EnableKubernetesMockClient(crud = true)
class TrafficLabelTest {
  static final String NS = KubernetesRuntimeTest.NS;
  static final Duration AT_MOST = Duration.ofSeconds(20);
  KubernetesMockServer server;
  KubernetesClient client;
  KubernetesRuntime runtime;
  final List<Observation> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    runtime =
        new KubernetesRuntime(
            server.createClient(),
            new KubernetesRuntime.Options(
                "k8s", NS, false, Duration.ofMinutes(1), 3, Duration.ofMillis(1)),
            new ManualScheduler(Instant.parse("2025-01-01T00:00:00Z")));
    runtime.observe(seen::add);
    await().atMost(AT_MOST).until(runtime::synced);
    runtime.applyApp(AppWorkload.settled("web", 2, Set.of(), 1, Specs.minimal("img:1")));
    client.resource(Pods.pod("web", 0, 1, "Running", true, 0)).create();
    client.resource(Pods.pod("web", 1, 1, "Running", true, 0)).create();
    await().atMost(AT_MOST).until(() -> runtime.instances("web").size() == 2);
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  /** Whether the Service's selector picks the pod (what the endpoint controller does). */
  boolean selected(String pod) {
    Service svc = client.services().inNamespace(NS).withName("web").get();
    Map<String, String> labels =
        client.pods().inNamespace(NS).withName(pod).get().getMetadata().getLabels();
    return labels.entrySet().containsAll(svc.getSpec().getSelector().entrySet());
  }

  boolean online(String id) {
    return runtime.instances("web").stream()
        .filter(i -> i.id().equals(id))
        .map(Instance::online)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theServiceSelectsOnlyOnlinePodsAndPublishesOnlyReadyOnes() {
    Service svc = client.services().inNamespace(NS).withName("web").get();
    assertThat(svc.getSpec().getSelector())
        .containsEntry(Labels.TRAFFIC, Labels.TRAFFIC_ON)
        .containsEntry(Labels.APP, "web");
    assertThat(svc.getSpec().getPublishNotReadyAddresses()).isFalse();
    StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("web").get();
    assertThat(sts.getSpec().getTemplate().getMetadata().getLabels())
        .as("new pods start online")
        .containsEntry(Labels.TRAFFIC, Labels.TRAFFIC_ON);
    assertThat(sts.getSpec().getSelector().getMatchLabels())
        .as("the StatefulSet keeps its pods whatever their traffic")
        .doesNotContainKey(Labels.TRAFFIC);
    assertThat(selected("web-0")).isTrue();
    assertThat(online("web-0")).isTrue();
  }

  @Test
  void offlineTakesThePodOutOfTheServiceAndOnlinePutsItBack() {
    runtime.setOnline("web", 0, false);

    Pod pod = client.pods().inNamespace(NS).withName("web-0").get();
    assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.TRAFFIC, Labels.TRAFFIC_OFF);
    assertThat(pod.getMetadata().getDeletionTimestamp()).as("it keeps running").isNull();
    assertThat(selected("web-0")).isFalse();
    assertThat(selected("web-1")).isTrue();
    await().atMost(AT_MOST).until(() -> !online("web-0"));
    assertThat(seen)
        .anySatisfy(
            o ->
                assertThat(o)
                    .isInstanceOfSatisfying(
                        Observation.InstanceChanged.class,
                        c -> assertThat(c.instance().online()).isFalse()));

    long writes = runtime.writes();
    runtime.setOnline("web", 0, false);
    assertThat(runtime.writes()).as("already offline: nothing written").isEqualTo(writes);

    runtime.setOnline("web", 0, true);
    assertThat(selected("web-0")).isTrue();
    await().atMost(AT_MOST).until(() -> online("web-0"));
  }

  @Test
  void aMissingPodIsLeftAlone() {
    runtime.setOnline("web", 7, false);
    assertThat(client.pods().inNamespace(NS).withName("web-7").get()).isNull();
  }
}
