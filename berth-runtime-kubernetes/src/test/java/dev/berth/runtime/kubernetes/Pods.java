package dev.berth.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;

/** Pods as the StatefulSet and kubelet would make them, for the mock API server. */
final class Pods {
  private Pods() {}

  /** The ready pods of {@code app}'s ordinals 0 to {@code n - 1} on {@code revision}. */
  static void createReady(
      io.fabric8.kubernetes.client.KubernetesClient client, String app, int n, long revision) {
    for (int o = 0; o < n; o++) {
      client.resource(pod(app, o, revision, "Running", true, 0)).create();
    }
  }

  static Pod pod(
      String app, int ordinal, long revision, String phase, boolean ready, int restarts) {
    Map<String, String> labels = Labels.app(app);
    labels.put(Labels.REVISION, Long.toString(revision));
    labels.put(Labels.TRAFFIC, Labels.TRAFFIC_ON);
    return new PodBuilder()
        .withNewMetadata()
        .withName(app + "-" + ordinal)
        .withNamespace(KubernetesRuntimeTest.NS)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .addNewContainer()
        .withName("app")
        .withImage("img")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .withPodIP("10.1.0." + (10 + ordinal))
        .withHostIP("192.168.0.1")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName("app")
                .withRestartCount(restarts)
                .withNewState()
                .withNewRunning()
                .withStartedAt("2025-01-01T00:00:01Z")
                .endRunning()
                .endState()
                .build())
        .endStatus()
        .build();
  }
}
