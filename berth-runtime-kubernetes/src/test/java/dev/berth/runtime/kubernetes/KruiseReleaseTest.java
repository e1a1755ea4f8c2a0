package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.time.ManualScheduler;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A release with instances chosen to go first on an OpenKruise Advanced StatefulSet, against
 * fabric8's mock API server (CRUD mode) with the Advanced StatefulSet CRD: Berth writes update
 * priorities and the partition Kruise reads in that mode, deletes no pod itself, and a paused
 * release writes nothing.
 */
class KruiseReleaseTest {
  static final String NS = KruiseDetectionTest.NS;
  static final AppSpec V1 = Specs.minimal("img:1");
  ApiServer api;
  KubernetesClient client;
  KubernetesRuntime runtime;

  @BeforeEach
  void start() {
    api = new ApiServer();
    client = api.client();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(KruiseDetectionTest.advancedStatefulSetCrd())
        .create();
    runtime =
        new KubernetesRuntime(
            api.clientWithoutRetries(),
            new KubernetesRuntime.Options(
                "k8s", NS, null, Duration.ofSeconds(1), 3, Duration.ofMillis(1)),
            new ManualScheduler(Instant.parse("2025-01-01T00:00:00Z")));
    assertThat(runtime.kruise()).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(runtime::synced);
  }

  @AfterEach
  void stop() {
    runtime.close();
    client.close();
    api.close();
  }

  static AppWorkload release(int partition, Integer... chosen) {
    return Specs.release("web", 4, partition, chosen);
  }

  @Test
  void chosenInstancesGetTheHighestUpdatePriorityAndThePartitionCountsThePodsThatStay() {
    runtime.applyApp(AppWorkload.settled("web", 4, Set.of(), 1, V1));
    Pods.createReady(client, "web", 4, 1);

    runtime.applyApp(release(4, 1));
    assertThat(rollingUpdate())
        .containsEntry("partition", 3)
        .containsEntry(
            "unorderedUpdate",
            Map.of("priorityStrategy", Map.of("weightPriority", List.of(weight(100, "web-1")))));
    assertThat(client.pods().inNamespace(NS).list().getItems())
        .as("Kruise, not Berth, replaces the pods")
        .hasSize(4);
    assertThat(ApiServerRules.problems(advanced())).isEmpty();

    AppWorkload next = release(2, 1);
    runtime.applyApp(next);
    assertThat(rollingUpdate())
        .containsEntry("partition", 1)
        .containsEntry(
            "unorderedUpdate",
            Map.of(
                "priorityStrategy",
                Map.of(
                    "weightPriority",
                    List.of(weight(100, "web-1"), weight(50, "web-2", "web-3")))));

    // Paused at that batch: nothing is written, however often the controller applies it.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Manifests.hashOf(runtime.watchers().statefulSets.getStore().getByKey(NS + "/web"))
                    .equals(Manifests.hashOf(advanced())));
    long writes = runtime.writes();
    int requests = api.requests();
    runtime.applyApp(next);
    runtime.applyApp(next);
    assertThat(runtime.writes()).isEqualTo(writes);
    assertThat(api.requests()).isEqualTo(requests);

    // The last batch: back to the plain partition by ordinal, no priorities.
    runtime.applyApp(release(0));
    assertThat(rollingUpdate()).isEqualTo(Map.of("partition", 0));
    assertThat(client.pods().inNamespace(NS).list().getItems()).hasSize(4);
  }

  private static Map<String, Object> weight(int weight, String... pods) {
    return Map.of(
        "weight",
        weight,
        "matchSelector",
        Map.of(
            "matchExpressions",
            List.of(
                Map.of(
                    "key",
                    "statefulset.kubernetes.io/pod-name",
                    "operator",
                    "In",
                    "values",
                    List.of(pods)))));
  }

  private GenericKubernetesResource advanced() {
    return client
        .genericKubernetesResources(KruiseDetectionTest.ADVANCED)
        .inNamespace(NS)
        .withName("web")
        .get();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> rollingUpdate() {
    Map<String, Object> spec =
        (Map<String, Object>) advanced().getAdditionalProperties().get("spec");
    return (Map<String, Object>)
        ((Map<String, Object>) spec.get("updateStrategy")).get("rollingUpdate");
  }
}
