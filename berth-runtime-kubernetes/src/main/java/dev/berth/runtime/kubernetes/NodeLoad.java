package dev.berth.runtime.kubernetes;

import dev.berth.core.node.NodeInfo;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the pods on a node ask for, the way the scheduler counts it: per pod the larger of the sum
 * of its containers and its largest init container, plus its overhead; ended pods (Succeeded,
 * Failed) count for nothing. Gives a node's {@code usage} (requested CPU, memory and the number of
 * pods) and its {@link NodeInfo.Details} (limits, Berth's instances and runs on it, taints, free
 * pod slots). Pure.
 */
final class NodeLoad {
  private NodeLoad() {}

  /**
   * {@code node} read by {@link NodeMapper} with its requests and details from {@code pods};
   * Berth's instances and runs are its pods in {@code namespace}.
   */
  static NodeInfo node(String cluster, String namespace, Node node, List<Pod> pods) {
    List<Pod> running = pods.stream().filter(NodeLoad::counts).toList();
    NodeInfo base = NodeMapper.node(cluster, node);
    NodeInfo.Capacity requested = total(running, NodeLoad::requests);
    NodeInfo.Capacity limits = total(running, NodeLoad::limits);
    int berth =
        (int)
            running.stream()
                .filter(p -> Labels.managed(p) && namespace.equals(p.getMetadata().getNamespace()))
                .count();
    List<NodeInfo.Taint> taints =
        node.getSpec() == null || node.getSpec().getTaints() == null
            ? List.of()
            : node.getSpec().getTaints().stream()
                .map(t -> new NodeInfo.Taint(t.getKey(), t.getValue(), t.getEffect()))
                .toList();
    Integer freePods =
        base.allocatable() == null ? null : Math.max(0, base.allocatable().pods() - running.size());
    return base.withUsage(requested)
        .withDetails(
            new NodeInfo.Details(
                limits, berth, taints, new NodeInfo.Headroom(freePods, null, null)));
  }

  /** Whether a pod takes a place on its node: not ended. */
  static boolean counts(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  private static NodeInfo.Capacity total(
      List<Pod> pods, Function<Container, Map<String, Quantity>> of) {
    return new NodeInfo.Capacity(sum(pods, "cpu", of), mib(sum(pods, "memory", of)), pods.size());
  }

  static Map<String, Quantity> requests(Container c) {
    return c.getResources() == null ? null : c.getResources().getRequests();
  }

  static Map<String, Quantity> limits(Container c) {
    return c.getResources() == null ? null : c.getResources().getLimits();
  }

  private static double sum(
      List<Pod> pods, String resource, Function<Container, Map<String, Quantity>> of) {
    double total = 0;
    for (Pod p : pods) {
      total += perPod(p, resource, of);
    }
    return total;
  }

  static double perPod(Pod p, String resource, Function<Container, Map<String, Quantity>> of) {
    if (p.getSpec() == null) {
      return 0;
    }
    double containers = 0;
    for (Container c : p.getSpec().getContainers()) {
      containers += amount(of.apply(c), resource);
    }
    double init = 0;
    for (Container c : p.getSpec().getInitContainers()) {
      init = Math.max(init, amount(of.apply(c), resource));
    }
    return Math.max(containers, init) + amount(p.getSpec().getOverhead(), resource);
  }

  private static double amount(Map<String, Quantity> q, String resource) {
    return q == null || !q.containsKey(resource)
        ? 0
        : q.get(resource).getNumericalAmount().doubleValue();
  }

  private static long mib(double bytes) {
    return Math.round(bytes / (1024 * 1024));
  }
}
