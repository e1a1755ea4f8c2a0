package dev.berth.server.node;

import static dev.berth.server.access.Permission.CLUSTER_READ;
import static dev.berth.server.access.Permission.NODE_MANAGE;

import dev.berth.core.alert.Durations;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.node.Drain;
import dev.berth.core.node.DrainController;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Errors;
import dev.berth.core.support.KubernetesRules;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.core.time.Scheduler;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.audit.AuditLog;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Node actions as people ask for them, from the API and the portal alike: cordon, uncordon, drain
 * (with a deadline and optionally a surge), cancel a drain, and labels. Changing a node needs
 * {@code node.manage} (admins); reading a drain's progress {@code cluster.read} (everyone signed
 * in). Every change is audited ({@code node.cordon}, {@code node.uncordon}, {@code node.drain},
 * {@code node.drain.cancel}, {@code node.label}) and raises an event on the node.
 */
public class NodeOperations {
  /** The longest drain deadline accepted. */
  public static final Duration MAX_DEADLINE = Duration.ofDays(1);

  private final ClusterRegistry clusters;
  private final DrainController drains;
  private final Access access;
  private final AuditLog audit;
  private final EventSink events;
  private final Scheduler clock;

  NodeOperations(
      ClusterRegistry clusters,
      DrainController drains,
      Access access,
      AuditLog audit,
      EventSink events,
      Scheduler clock) {
    this.clusters = clusters;
    this.drains = drains;
    this.access = access;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
  }

  /** A drain as asked for: {@code deadline} such as {@code 10m}, {@code surge} (default false). */
  public record DrainRequest(String deadline, Boolean surge) {}

  /** Cordons ({@code schedulable} false) or uncordons the node; returns it as it is now. */
  public NodeInfo schedulable(String cluster, String node, boolean schedulable) {
    String action = schedulable ? "node.uncordon" : "node.cordon";
    return audit.change(
        action,
        "node",
        cluster + "/" + node,
        c -> {
          access.require(NODE_MANAGE, null);
          ClusterRuntime runtime = runtime(cluster);
          NodeInfo before = node(runtime, node);
          c.before(Map.of("schedulable", before.schedulable()));
          unsupportedAsConflict(() -> runtime.setSchedulable(node, schedulable));
          c.after(Map.of("schedulable", schedulable));
          c.detail(schedulable ? "node uncordoned" : "node cordoned: no new instances or runs");
          emit(cluster, node, schedulable ? "Uncordoned" : "Cordoned", schedulable);
          return node(runtime, node);
        });
  }

  /** Cordons the node and starts draining it. */
  public Drain drain(String cluster, String node, DrainRequest request) {
    return audit.change(
        "node.drain",
        "node",
        cluster + "/" + node,
        c -> {
          Caller caller = access.require(NODE_MANAGE, null);
          Duration deadline = deadline(request == null ? null : request.deadline());
          boolean surge = request != null && Boolean.TRUE.equals(request.surge());
          ClusterRuntime runtime = runtime(cluster);
          node(runtime, node);
          Drain d =
              unsupportedAsConflict(
                  () -> drains.start(cluster, node, deadline, surge, caller.name()));
          c.after(Map.of("deadline", Durations.format(deadline), "surge", surge));
          c.detail(
              "drain with a deadline of "
                  + Durations.format(deadline)
                  + (surge ? ", with surge" : ""));
          return d;
        });
  }

  /** The node's latest drain with its progress and blocking reasons; empty when never drained. */
  public java.util.Optional<Drain> progress(String cluster, String node) {
    access.require(CLUSTER_READ, null);
    node(runtime(cluster), node);
    return drains.find(cluster, node);
  }

  /** Cancels the node's running drain; the node stays cordoned. */
  public Drain cancel(String cluster, String node) {
    return audit.change(
        "node.drain.cancel",
        "node",
        cluster + "/" + node,
        c -> {
          Caller caller = access.require(NODE_MANAGE, null);
          node(runtime(cluster), node);
          if (drains.find(cluster, node).filter(d -> !d.state().isFinal()).isEmpty()) {
            throw new ConflictException(
                "node " + node + " has no running drain to cancel; GET its drain for the last one");
          }
          c.detail("drain cancelled; the node stays cordoned");
          return drains.cancel(cluster, node, caller.name());
        });
  }

  /**
   * Sets labels (a string value) and removes them (null), as a JSON merge-patch of the node's
   * labels; labels not named stay.
   */
  public NodeInfo label(String cluster, String node, Map<String, String> labels) {
    return audit.change(
        "node.label",
        "node",
        cluster + "/" + node,
        c -> {
          access.require(NODE_MANAGE, null);
          if (labels == null || labels.isEmpty()) {
            throw ValidationException.of(
                "labels", "is required: an object of labels to set (a string) or remove (null)");
          }
          Errors errors = new Errors();
          labels.forEach(
              (k, v) -> {
                KubernetesRules.qualifiedName(k)
                    .forEach(m -> errors.add("labels." + k, "key " + m));
                if (v != null) {
                  KubernetesRules.labelValue(v).forEach(m -> errors.add("labels." + k, m));
                }
              });
          errors.throwIfAny();
          ClusterRuntime runtime = runtime(cluster);
          NodeInfo before = node(runtime, node);
          c.before(before.labels());
          unsupportedAsConflict(() -> runtime.labelNode(node, labels));
          NodeInfo after = node(runtime, node);
          c.after(after.labels());
          c.detail("labels changed: " + labels.keySet());
          return after;
        });
  }

  static Duration deadline(String text) {
    if (text == null || text.isBlank()) {
      throw ValidationException.of(
          "deadline", "is required: how long the drain may take, such as 10m or 1h");
    }
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw ValidationException.of("deadline", e.getMessage());
    }
    if (d.isNegative() || d.isZero() || d.compareTo(MAX_DEADLINE) > 0) {
      throw ValidationException.of(
          "deadline", "must be more than 0 and at most 24h, such as 10m, was '" + text + "'");
    }
    return d;
  }

  private ClusterRuntime runtime(String cluster) {
    return clusters.require(cluster);
  }

  private static NodeInfo node(ClusterRuntime runtime, String node) {
    return runtime.nodes().stream()
        .filter(n -> n.name().equals(node))
        .findFirst()
        .orElseThrow(() -> new NotFoundException("node", node));
  }

  private void emit(String cluster, String node, String reason, boolean on) {
    events.emit(
        Event.normal(
            clock.instant(),
            cluster,
            "node",
            node,
            null,
            reason,
            on ? "node " + node + " takes new instances again" : "node " + node + " is cordoned"));
  }

  private static void unsupportedAsConflict(Runnable r) {
    unsupportedAsConflict(
        () -> {
          r.run();
          return null;
        });
  }

  private static <T> T unsupportedAsConflict(Supplier<T> s) {
    try {
      return s.get();
    } catch (UnsupportedOperationException e) {
      throw new ConflictException(e.getMessage());
    }
  }
}
