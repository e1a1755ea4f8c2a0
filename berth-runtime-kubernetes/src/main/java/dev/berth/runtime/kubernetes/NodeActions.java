package dev.berth.runtime.kubernetes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Changes to nodes: cordon and uncordon ({@code spec.unschedulable}) and labels, each one JSON
 * merge patch, skipped when the node informer already shows the wanted state. A missing node is a
 * {@link NotFoundException}; a label the API server refuses (422) a {@link ValidationException}
 * naming {@code labels}.
 */
final class NodeActions {
  private final KubernetesClient client;
  private final Retry retry;
  private final Watchers watchers;

  NodeActions(KubernetesClient client, Retry retry, Watchers watchers) {
    this.client = client;
    this.retry = retry;
    this.watchers = watchers;
  }

  void setSchedulable(String node, boolean schedulable) {
    Node cached = watchers.nodes.getStore().getByKey(node);
    if (cached != null && unschedulable(cached) == !schedulable) {
      return;
    }
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode spec = patch.putObject("spec");
    if (schedulable) {
      spec.putNull("unschedulable"); // as kubectl uncordon leaves it: absent
    } else {
      spec.put("unschedulable", true);
    }
    patch(node, (schedulable ? "uncordon" : "cordon") + " node " + node, patch.toString());
  }

  void label(String node, Map<String, String> labels) {
    Node cached = watchers.nodes.getStore().getByKey(node);
    if (cached != null && labelled(cached, labels)) {
      return;
    }
    // A JSON patch computed from the node as it is now: a removed label is a "remove" operation,
    // which every API server (and fabric8's mock) understands the same way.
    call(
        node,
        "label node " + node,
        () ->
            client
                .nodes()
                .withName(node)
                .edit(
                    n -> {
                      Map<String, String> now =
                          new TreeMap<>(
                              n.getMetadata().getLabels() == null
                                  ? Map.of()
                                  : n.getMetadata().getLabels());
                      labels.forEach(
                          (k, v) -> {
                            if (v == null) {
                              now.remove(k);
                            } else {
                              now.put(k, v);
                            }
                          });
                      n.getMetadata().setLabels(now);
                      return n;
                    }));
  }

  private void patch(String node, String what, String json) {
    call(
        node,
        what,
        () -> client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), json));
  }

  private void call(String node, String what, Runnable call) {
    try {
      retry.run(what, call);
    } catch (RuntimeFailure e) {
      int code = Failures.code(e);
      if (code == 404) {
        throw new NotFoundException("node", node);
      }
      if (code == 422 || code == 400) {
        throw ValidationException.of(
            "labels",
            "were refused by the Kubernetes API server: "
                + Failures.rootMessage(e.getCause() == null ? e : e.getCause()));
      }
      throw e;
    }
  }

  static boolean unschedulable(Node n) {
    return n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
  }

  /** Whether {@code n} already carries every label of {@code labels} (null: absent). */
  static boolean labelled(Node n, Map<String, String> labels) {
    Map<String, String> has =
        n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
    return labels.entrySet().stream()
        .allMatch(e -> Objects.equals(has.get(e.getKey()), e.getValue()));
  }
}
