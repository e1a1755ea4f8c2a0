package dev.berth.runtime.kubernetes;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.MetricsUnavailableException;
import dev.berth.core.metrics.Sample;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Node and pod usage from the resource metrics API ({@code metrics.k8s.io}, served by
 * metrics-server) when the cluster serves it: per node CPU cores and memory working set, per pod of
 * Berth's apps and runs the sum of its containers'. A cluster without the API (404) has no such
 * samples, which is not an error; an API server that cannot be reached is {@link
 * MetricsUnavailableException}.
 */
final class ResourceMetrics {
  private ResourceMetrics() {}

  static List<Sample> read(
      KubernetesClient client,
      String cluster,
      String namespace,
      Function<String, String> nodeOfPod,
      Instant now) {
    List<Sample> out = new ArrayList<>();
    try {
      for (NodeMetrics n : client.top().nodes().metrics().getItems()) {
        Map<String, String> labels =
            Map.of(MetricNames.CLUSTER, cluster, MetricNames.NODE, n.getMetadata().getName());
        Map<String, Quantity> usage = n.getUsage() == null ? Map.of() : n.getUsage();
        add(out, MetricNames.NODE_CPU_USAGE, labels, usage.get("cpu"), now);
        add(out, MetricNames.NODE_MEMORY_WORKING_SET, labels, usage.get("memory"), now);
      }
      for (PodMetrics p : client.top().pods().metrics(namespace).getItems()) {
        pod(p, cluster, nodeOfPod, now, out);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 503) {
        return out; // the resource metrics API is not served (no metrics-server): nothing to add
      }
      throw new MetricsUnavailableException(
          "the resource metrics of cluster " + cluster + " cannot be read: " + e.getMessage(), e);
    }
    return out;
  }

  private static void pod(
      PodMetrics p,
      String cluster,
      Function<String, String> nodeOfPod,
      Instant now,
      List<Sample> out) {
    Map<String, String> podLabels =
        p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
    String name = p.getMetadata().getName();
    Map<String, String> labels = new HashMap<>();
    labels.put(MetricNames.CLUSTER, cluster);
    String node = nodeOfPod.apply(name);
    if (node != null) {
      labels.put(MetricNames.NODE, node);
    }
    String cpuName;
    String memoryName;
    if (podLabels.containsKey(Labels.APP)) {
      labels.put(MetricNames.APP, podLabels.get(Labels.APP));
      labels.put(MetricNames.INSTANCE, name);
      cpuName = MetricNames.INSTANCE_CPU_USAGE;
      memoryName = MetricNames.INSTANCE_MEMORY_WORKING_SET;
    } else if (podLabels.containsKey(Labels.RUN)) {
      labels.put(MetricNames.RUN, podLabels.get(Labels.RUN));
      labels.put(MetricNames.TASK, podLabels.getOrDefault(Labels.TASK, ""));
      cpuName = MetricNames.RUN_CPU_USAGE;
      memoryName = MetricNames.RUN_MEMORY_WORKING_SET;
    } else {
      return; // not Berth's
    }
    double cpu = 0;
    double memory = 0;
    for (ContainerMetrics c : p.getContainers()) {
      Map<String, Quantity> usage = c.getUsage() == null ? Map.of() : c.getUsage();
      cpu += amount(usage.get("cpu"));
      memory += amount(usage.get("memory"));
    }
    out.add(new Sample(cpuName, labels, cpu, now));
    out.add(new Sample(memoryName, labels, memory, now));
  }

  private static void add(
      List<Sample> out, String name, Map<String, String> labels, Quantity q, Instant now) {
    if (q != null) {
      out.add(new Sample(name, labels, amount(q), now));
    }
  }

  private static double amount(Quantity q) {
    return q == null ? 0 : Quantity.getAmountInBytes(q).doubleValue();
  }
}
