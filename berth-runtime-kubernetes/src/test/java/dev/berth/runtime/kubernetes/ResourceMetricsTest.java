package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.MetricsUnavailableException;
import dev.berth.core.metrics.Sample;
import dev.berth.core.time.ManualScheduler;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsListBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsListBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node and pod usage from the resource metrics API of fabric8's mock API server: served, not served
 * (404), and an API server that fails.
 */
class ResourceMetricsTest {
  static final String NS = "apps";
  static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  ApiServer api;
  KubernetesRuntime runtime;

  @BeforeEach
  void start() {
    api = new ApiServer();
    runtime =
        new KubernetesRuntime(
            api.clientWithoutRetries(),
            new KubernetesRuntime.Options(
                "east", NS, false, Duration.ofSeconds(1), 1, Duration.ofMillis(1)),
            new ManualScheduler(NOW));
  }

  @AfterEach
  void stop() {
    runtime.close();
    api.close();
  }

  static double value(List<Sample> samples, String name, String key, String value) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && value.equals(s.labels().get(key)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " of " + value + " missing: " + samples))
        .value();
  }

  @Test
  void readsNodeAndPodUsageWhenTheClusterServesTheResourceMetricsApi() {
    api.client()
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("web-0")
                .withLabels(Map.of(Labels.MANAGED_BY, Labels.BERTH, Labels.APP, "web"))
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-a")
                .endSpec()
                .build())
        .create();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.watchers().pods.getStore().getByKey(NS + "/web-0") != null);
    api.server()
        .expect()
        .get()
        .withPath("/apis/metrics.k8s.io/v1beta1/nodes")
        .andReturn(
            200,
            new NodeMetricsListBuilder()
                .addToItems(
                    new NodeMetricsBuilder()
                        .withNewMetadata()
                        .withName("node-a")
                        .endMetadata()
                        .withUsage(
                            Map.of("cpu", new Quantity("1500m"), "memory", new Quantity("2Gi")))
                        .build())
                .build())
        .always();
    api.server()
        .expect()
        .get()
        .withPath("/apis/metrics.k8s.io/v1beta1/namespaces/" + NS + "/pods")
        .andReturn(
            200,
            new PodMetricsListBuilder()
                .addToItems(
                    new PodMetricsBuilder()
                        .withNewMetadata()
                        .withName("web-0")
                        .withNamespace(NS)
                        .withLabels(Map.of(Labels.APP, "web"))
                        .endMetadata()
                        .addNewContainer()
                        .withName("app")
                        .withUsage(
                            Map.of("cpu", new Quantity("250m"), "memory", new Quantity("64Mi")))
                        .endContainer()
                        .addNewContainer()
                        .withName("sidecar")
                        .withUsage(
                            Map.of("cpu", new Quantity("50m"), "memory", new Quantity("16Mi")))
                        .endContainer()
                        .build(),
                    new PodMetricsBuilder()
                        .withNewMetadata()
                        .withName("someone-elses")
                        .withNamespace(NS)
                        .endMetadata()
                        .build())
                .build())
        .always();

    List<Sample> samples = runtime.usage();

    assertThat(value(samples, MetricNames.NODE_CPU_USAGE, "node", "node-a")).isEqualTo(1.5);
    assertThat(value(samples, MetricNames.NODE_MEMORY_WORKING_SET, "node", "node-a"))
        .isEqualTo(2.0 * 1024 * 1024 * 1024);
    assertThat(value(samples, MetricNames.INSTANCE_CPU_USAGE, "instance", "web-0"))
        .isEqualTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(value(samples, MetricNames.INSTANCE_MEMORY_WORKING_SET, "instance", "web-0"))
        .isEqualTo(80.0 * 1024 * 1024);
    assertThat(samples)
        .filteredOn(s -> s.name().equals(MetricNames.INSTANCE_CPU_USAGE))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.labels())
                    .containsEntry("cluster", "east")
                    .containsEntry("app", "web")
                    .containsEntry("node", "node-a"));
    assertThat(samples).allSatisfy(s -> assertThat(s.at()).isEqualTo(NOW));
  }

  @Test
  void aClusterWithoutMetricsServerHasNoUsageAndNoError() {
    api.server()
        .expect()
        .get()
        .withPath("/apis/metrics.k8s.io/v1beta1/nodes")
        .andReturn(404, "")
        .always();

    assertThat(runtime.usage()).isEmpty();
  }

  @Test
  void anApiServerThatFailsIsUnavailable() {
    api.server()
        .expect()
        .get()
        .withPath("/apis/metrics.k8s.io/v1beta1/nodes")
        .andReturn(500, "boom")
        .always();

    assertThatThrownBy(runtime::usage)
        .isInstanceOf(MetricsUnavailableException.class)
        .hasMessageContaining("east");
  }
}
