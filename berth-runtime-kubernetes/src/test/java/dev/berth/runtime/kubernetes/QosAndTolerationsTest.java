package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.QosClass;
import dev.berth.core.app.Resources;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.task.TaskSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The QoS class decides a pod's requests and limits (and is shown as its label), and every app pod
 * tolerates an unreachable or not-ready node for the configured time (an hour by default) instead
 * of Kubernetes' 300 s; runs keep Kubernetes' default.
 */
class QosAndTolerationsTest {
  private static final Manifests.Target TARGET = new Manifests.Target("apps", false, null);

  @Test
  void guaranteedHasRequestsEqualToLimitsForCpuAndMemory() {
    PodTemplateSpec pod =
        template(new Resources(0.25, 2, 512, null, 0).withQos(QosClass.GUARANTEED));
    ResourceRequirements r = pod.getSpec().getContainers().getFirst().getResources();
    assertThat(r.getRequests()).isEqualTo(r.getLimits());
    assertThat(r.getRequests())
        .isEqualTo(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("512Mi")));
    assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.QOS, "guaranteed");

    ResourceRequirements derived =
        template(new Resources(1, 1, 256, null, 0))
            .getSpec()
            .getContainers()
            .getFirst()
            .getResources();
    assertThat(derived.getRequests()).isEqualTo(derived.getLimits()).containsKey("cpu");
  }

  @Test
  void burstableKeepsTheGuaranteeAsRequestAndTheMaximumAsLimit() {
    PodTemplateSpec pod = template(new Resources(0.5, 2, 512, null, 0));
    ResourceRequirements r = pod.getSpec().getContainers().getFirst().getResources();
    assertThat(r.getRequests())
        .isEqualTo(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")));
    assertThat(r.getLimits())
        .isEqualTo(Map.of("cpu", new Quantity("2"), "memory", new Quantity("512Mi")));
    assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.QOS, "burstable");
  }

  @Test
  void bestEffortHasNoRequestsAndNoLimitsForAppsAndRuns() {
    Resources none = Resources.DEFAULT.withQos(QosClass.BEST_EFFORT);
    PodTemplateSpec pod = template(none);
    ResourceRequirements r = pod.getSpec().getContainers().getFirst().getResources();
    assertThat(r.getRequests()).isNullOrEmpty();
    assertThat(r.getLimits()).isNullOrEmpty();
    assertThat(pod.getMetadata().getLabels()).containsEntry(Labels.QOS, "best-effort");

    var job =
        Manifests.forRun(
            new RunWorkload(
                "offline-1",
                "offline",
                new TaskSpec("img:1", null, null, null, none),
                null,
                null,
                0,
                false),
            "apps");
    var run = job.getSpec().getTemplate();
    assertThat(run.getSpec().getContainers().getFirst().getResources().getRequests())
        .isNullOrEmpty();
    assertThat(run.getMetadata().getLabels()).containsEntry(Labels.QOS, "best-effort");
  }

  @Test
  void podsTolerateAnUnreachableOrNotReadyNodeForAnHourByDefault() {
    assertThat(template(Resources.DEFAULT).getSpec().getTolerations())
        .extracting(Toleration::getKey, Toleration::getEffect, Toleration::getTolerationSeconds)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "node.kubernetes.io/unreachable", "NoExecute", 3600L),
            org.assertj.core.groups.Tuple.tuple(
                "node.kubernetes.io/not-ready", "NoExecute", 3600L));
  }

  @Test
  void theServersSettingSetsHowLongPodsTolerateIt() {
    ApiServer api = new ApiServer();
    try (KubernetesRuntime runtime =
        new KubernetesConnector(Duration.ofHours(2))
            .connect(api.kubeconfig("token"), false)
            .start(
                "k8s", "apps", new dev.berth.core.time.ManualScheduler(java.time.Instant.EPOCH))) {
      String yaml = runtime.manifests(Specs.settled("web", 1, Specs.minimal("img:1")));
      assertThat(yaml)
          .contains("tolerationSeconds: 7200")
          .doesNotContain("tolerationSeconds: 3600");
    } finally {
      api.close();
    }
  }

  private static PodTemplateSpec template(Resources resources) {
    AppSpec base = Specs.minimal("img:1");
    AppSpec spec =
        new AppSpec(
            base.image(),
            base.command(),
            base.args(),
            base.env(),
            base.ports(),
            resources,
            base.health(),
            base.lifecycle());
    return ((StatefulSet) Manifests.statefulSet(Specs.settled("web", 1, spec), TARGET))
        .getSpec()
        .getTemplate();
  }
}
