package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.time.ManualScheduler;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whether a cluster has OpenKruise is found out by API discovery (the runtime is started without
 * saying), against fabric8's mock API server in CRUD mode with and without the Advanced StatefulSet
 * CRD.
 */
class KruiseDetectionTest {
  static final String NS = "apps";
  static final ResourceDefinitionContext ADVANCED =
      new ResourceDefinitionContext.Builder()
          .withGroup("apps.kruise.io")
          .withVersion("v1beta1")
          .withKind("StatefulSet")
          .withPlural("statefulsets")
          .withNamespaced(true)
          .build();
  ApiServer api;
  KubernetesClient client;
  KubernetesRuntime runtime;

  @BeforeEach
  void start() {
    api = new ApiServer();
    client = api.client();
  }

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
    client.close();
    api.close();
  }

  KubernetesRuntime detectingRuntime() {
    ManualScheduler clock = new ManualScheduler(Instant.parse("2025-01-01T00:00:00Z"));
    return new KubernetesRuntime(
        api.clientWithoutRetries(),
        new KubernetesRuntime.Options(
            "k8s", NS, null, Duration.ofSeconds(1), 3, Duration.ofMillis(1)),
        clock);
  }

  static CustomResourceDefinition advancedStatefulSetCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("statefulsets.apps.kruise.io")
        .endMetadata()
        .withNewSpec()
        .withGroup("apps.kruise.io")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("StatefulSet")
        .withPlural("statefulsets")
        .withSingular("statefulset")
        .withShortNames("asts")
        .endNames()
        .addNewVersion()
        .withName("v1beta1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }

  @Test
  void
      withTheAdvancedStatefulSetCrdAppsBecomeAdvancedStatefulSetsAndADeletedInstanceKeepsItsOrdinalReserved() {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(advancedStatefulSetCrd())
        .create();
    runtime = detectingRuntime();
    assertThat(runtime.kruise()).as("detected by API discovery").isTrue();

    runtime.applyApp(Specs.settled("web", 3, Specs.minimal("img:1")));
    GenericKubernetesResource advanced =
        client.genericKubernetesResources(ADVANCED).inNamespace(NS).withName("web").get();
    assertThat(advanced).as("an Advanced StatefulSet named after the app").isNotNull();
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("web").get())
        .as("no plain StatefulSet besides it")
        .isNull();
    assertThat(spec(advanced)).containsEntry("replicas", 3);

    // Deleting web-1 without replacement: the pod is not deleted by Berth, the ordinal is reserved
    // instead.
    managedPod("web-1");
    runtime.deleteInstance("web", 1, false);
    assertThat(client.pods().inNamespace(NS).withName("web-1").get())
        .as("Kruise, not Berth, removes the pod of a reserved ordinal")
        .isNotNull();
    assertThat(runtime.deleteInstanceNote("web", 1, false)).isEmpty();
    runtime.applyApp(AppWorkload.settled("web", 2, Set.of(1), 1, Specs.minimal("img:1")));
    Map<String, Object> spec =
        spec(client.genericKubernetesResources(ADVANCED).inNamespace(NS).withName("web").get());
    assertThat(spec).containsEntry("replicas", 2).containsEntry("reserveOrdinals", List.of(1));
  }

  @Test
  void withoutTheCrdAppsArePlainStatefulSetsAndDeletingAnInstanceDeletesItsPodWithANote() {
    runtime = detectingRuntime();
    assertThat(runtime.kruise()).isFalse();

    runtime.applyApp(Specs.settled("web", 3, Specs.minimal("img:1")));
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("web").get()).isNotNull();
    assertThat(
            client
                .apps()
                .statefulSets()
                .inNamespace(NS)
                .withName("web")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);

    managedPod("web-1");
    runtime.deleteInstance("web", 1, false);
    assertThat(client.pods().inNamespace(NS).withName("web-1").get())
        .as("the pod is deleted (the StatefulSet recreates it)")
        .isNull();
    assertThat(runtime.deleteInstanceNote("web", 1, false))
        .get()
        .asString()
        .contains("has no OpenKruise")
        .contains("web-1")
        .contains("recreates it with the same name");
  }

  private void managedPod(String name) {
    client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .addToLabels("app.kubernetes.io/managed-by", "berth")
                .addToLabels("app.kubernetes.io/name", "web")
                .endMetadata()
                .build())
        .create();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }
}
