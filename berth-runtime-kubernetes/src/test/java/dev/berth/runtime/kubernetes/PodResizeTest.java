package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Resources;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.ResizeResult;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In-place pod resize against fabric8's mock API server: on 1.33 each pod is patched through its
 * {@code resize} subresource and labelled with the new revision, and the StatefulSet follows with
 * {@code OnDelete} so its controller keeps the pods (also after a Berth restart); an older cluster
 * or a change of QoS class falls back to a release and nothing is written.
 */
class PodResizeTest {
  static final String NS = KubernetesRuntimeTest.NS;
  static final AppSpec V1 = spec(new Resources(0.1, 0, 128, CpuPolicy.SHARES, 0));
  static final AppSpec V2 = spec(new Resources(0.25, 1, 256, CpuPolicy.SHARES, 0));
  ApiServer api;
  KubernetesClient client;
  KubernetesRuntime runtime;
  final List<String> resizeBodies = new java.util.concurrent.CopyOnWriteArrayList<>();

  static AppSpec spec(Resources r) {
    return Specs.minimal("registry.test/web:1").withResources(r);
  }

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

  void clusterVersion(String minor) {
    api.server()
        .setVersionInfo(
            new io.fabric8.kubernetes.client.VersionInfo.Builder()
                .withMajor("1")
                .withMinor(minor)
                .withGitVersion("v1." + minor + ".2")
                .build());
    // the mock server has no resize subresource: it answers as the real one does, with the pod
    for (int o = 0; o < 2; o++) {
      Pod pod = Pods.pod("web", o, 1, "Running", true, 0);
      api.server()
          .expect()
          .patch()
          .withPath("/api/v1/namespaces/apps/pods/web-" + o + "/resize")
          .andReply(
              200,
              request -> {
                resizeBodies.add(request.getBody().readUtf8());
                return pod;
              })
          .always();
    }
    runtime = KubernetesRuntimeTest.runtime(api.clientWithoutRetries());
    runtime.applyApp(Specs.settled("web", 2, V1));
    Pods.createReady(client, "web", 2, 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> runtime.instances("web").size() == 2);
  }

  StatefulSet statefulSet() {
    return client.apps().statefulSets().inNamespace(NS).withName("web").get();
  }

  List<String> resizeCalls() {
    return api.requestLines().stream().filter(l -> l.contains("/resize")).toList();
  }

  @Test
  void eachPodIsResizedInPlaceAndTheStatefulSetKeepsItsPods() {
    clusterVersion("33");

    ResizeResult result = runtime.resizeInPlace("web", 2, V2);

    assertThat(result.inPlace()).as(String.valueOf(result.reason())).isTrue();
    assertThat(resizeCalls())
        .containsExactly(
            "PATCH /api/v1/namespaces/apps/pods/web-0/resize",
            "PATCH /api/v1/namespaces/apps/pods/web-1/resize");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(runtime.instances("web"))
                    .extracting(Instance::revision)
                    .containsExactly(2L, 2L));
    Pod pod = client.pods().inNamespace(NS).withName("web-0").get();
    assertThat(resizeBodies)
        .as("the new resources of the app container, nothing else")
        .containsExactly(PodResizes.resizePatch(pod, V2), PodResizes.resizePatch(pod, V2));
    assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.REVISION, "2");

    runtime.applyApp(AppWorkload.settled("web", 2, Set.of(), 2, V2));
    StatefulSet sts = statefulSet();
    assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    assertThat(sts.getMetadata().getAnnotations()).containsEntry(PodResizes.RESIZED_LIVE, "2");
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers().getFirst().getResources())
        .isEqualTo(Manifests.resources(V2.resources()));
    assertThat(client.pods().inNamespace(NS).list().getItems()).hasSize(2);

    // a restarted Berth reads the mark from the StatefulSet and writes nothing
    runtime.close();
    runtime = KubernetesRuntimeTest.runtime(api.clientWithoutRetries());
    await().atMost(Duration.ofSeconds(20)).until(runtime::synced);
    runtime.applyApp(AppWorkload.settled("web", 2, Set.of(), 2, V2));
    assertThat(runtime.writes()).isZero();

    // the next revision is released as usual
    AppSpec v3 = V2.withImage("registry.test/web:3");
    runtime.applyApp(AppWorkload.settled("web", 2, Set.of(), 3, v3));
    assertThat(statefulSet().getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
  }

  @Test
  void aClusterOlderThan133FallsBackToAReleaseAndWritesNothing() {
    clusterVersion("31");
    int requests = api.requests();

    ResizeResult result = runtime.resizeInPlace("web", 2, V2);

    assertThat(result.inPlace()).isFalse();
    assertThat(result.reason()).contains("1.31", "1.33 or later");
    assertThat(resizeCalls()).isEmpty();
    assertThat(api.requestLines().subList(requests, api.requests()))
        .allMatch(l -> l.startsWith("GET "));
    assertThat(runtime.instances("web")).extracting(Instance::revision).containsExactly(1L, 1L);
  }

  @Test
  void aChangeOfQosClassFallsBackToAReleaseAsTheApiServerWouldRefuseIt() {
    clusterVersion("33");
    AppSpec guaranteed = spec(new Resources(1, 1, 128, CpuPolicy.SHARES, 0));

    ResizeResult result = runtime.resizeInPlace("web", 2, guaranteed);

    assertThat(result.inPlace()).isFalse();
    assertThat(result.reason()).contains("QoS class");
    assertThat(resizeCalls()).isEmpty();
  }

  @Test
  void theResizeBodyReplacesOnlyTheAppContainersResources() {
    Pod pod = Pods.pod("web", 0, 1, "Running", true, 0);
    pod.getSpec()
        .getContainers()
        .addFirst(
            new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("sidecar").build());
    assertThat(PodResizes.resizePatch(pod, V2))
        .isEqualTo(
            "[{\"op\":\"replace\",\"path\":\"/spec/containers/1/resources\",\"value\":"
                + "{\"limits\":{\"cpu\":\"1\",\"memory\":\"256Mi\"},"
                + "\"requests\":{\"cpu\":\"250m\",\"memory\":\"256Mi\"}}}]");
  }
}
