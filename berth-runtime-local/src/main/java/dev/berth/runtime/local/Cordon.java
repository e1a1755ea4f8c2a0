package dev.berth.runtime.local;

import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceSlot;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.task.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cordon of the local runtime's one node: while it is on, instances that would start (new,
 * removed, evicted) and runs wait pending with the reason "node &lt;n&gt; is cordoned" instead of
 * starting; uncordoning hands them back. The mark is a file in the data directory, so it outlives a
 * Berth restart; what waits is rebuilt from Berth's next apply and run dispatch. The labels an
 * admin sets on the node are kept next to it ({@code node-labels.properties}). Thread-safe.
 */
final class Cordon {
  private final Path file;
  private final String node;
  private final String hostIp;
  private boolean on;
  private final Map<String, InstanceSlot> instances = new TreeMap<>();
  private final Map<String, RunWorkload> runs = new LinkedHashMap<>();
  private final Map<String, Instant> since = new TreeMap<>();
  private final Path labelFile;
  private final Map<String, String> labels = new TreeMap<>();

  Cordon(Path dataDir, String node, String hostIp) {
    this.file = dataDir.resolve("cordoned");
    this.labelFile = dataDir.resolve("node-labels.properties");
    this.node = node;
    this.hostIp = hostIp;
    this.on = Files.exists(file);
    if (Files.exists(labelFile)) {
      java.util.Properties p = new java.util.Properties();
      try (var in = Files.newBufferedReader(labelFile)) {
        p.load(in);
      } catch (IOException e) {
        throw new RuntimeFailure("cannot read " + labelFile + ": " + e.getMessage(), e);
      }
      p.stringPropertyNames().forEach(k -> labels.put(k, p.getProperty(k)));
    }
  }

  /** Sets (a value) and removes (null) labels of the node, kept in the data directory. */
  synchronized void label(Map<String, String> changes) {
    Map<String, String> next = new TreeMap<>(labels);
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            next.remove(k);
          } else {
            next.put(k, v);
          }
        });
    java.util.Properties p = new java.util.Properties();
    p.putAll(next);
    try (var out = Files.newBufferedWriter(labelFile)) {
      p.store(out, "labels of node " + node + ", set through Berth");
    } catch (IOException e) {
      throw new RuntimeFailure("cannot write " + labelFile + ": " + e.getMessage(), e);
    }
    labels.clear();
    labels.putAll(next);
  }

  synchronized boolean on() {
    return on;
  }

  String reason() {
    return "node " + node + " is cordoned";
  }

  /** Sets the mark; uncordoning returns what waited, for the caller to start. */
  synchronized Waiting set(boolean cordoned) {
    try {
      if (cordoned) {
        Files.writeString(file, node + "\n");
      } else {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new RuntimeFailure("cannot record the cordon in " + file + ": " + e.getMessage(), e);
    }
    on = cordoned;
    if (cordoned) {
      return new Waiting(List.of(), List.of());
    }
    Waiting w = new Waiting(List.copyOf(instances.values()), List.copyOf(runs.values()));
    instances.clear();
    runs.clear();
    since.clear();
    return w;
  }

  /** What waited for the node. */
  record Waiting(List<InstanceSlot> instances, List<RunWorkload> runs) {}

  /** Whether the instance waits here. */
  synchronized boolean holds(String id) {
    return instances.containsKey(id);
  }

  /**
   * The instance waits for the node (again: its slot is updated). Returns it as pending when that
   * is news (newly held, or another revision), so that only news is published: a held instance
   * reported on every apply would make the app's reconcile apply again, without end.
   */
  synchronized Optional<Instance> hold(InstanceSlot slot, Instant now) {
    InstanceSlot before = instances.put(slot.id(), slot);
    since.putIfAbsent(slot.id(), now);
    boolean news = before == null || before.revision() != slot.revision();
    return news ? Optional.of(pending(slot)) : Optional.empty();
  }

  /** Forgets waiting instances of {@code app} whose ordinal is no longer wanted. */
  synchronized List<String> keepOnly(String app, Set<Integer> wanted) {
    List<String> gone = new ArrayList<>();
    instances
        .values()
        .removeIf(
            s -> {
              boolean drop = s.app().equals(app) && !wanted.contains(s.ordinal());
              if (drop) {
                gone.add(s.id());
              }
              return drop;
            });
    return gone;
  }

  synchronized List<Instance> instances(String app) {
    return instances.values().stream().filter(s -> s.app().equals(app)).map(this::pending).toList();
  }

  /** The run waits for the node; returns it as queued when newly held (news only, as above). */
  synchronized Optional<RunStatus> hold(RunWorkload run, Instant now) {
    boolean news = runs.put(run.runId(), run) == null;
    since.putIfAbsent(run.runId(), now);
    return news ? Optional.of(queued(run.runId())) : Optional.empty();
  }

  /** Removes a waiting run; empty when it does not wait here. */
  synchronized Optional<RunWorkload> release(String runId) {
    since.remove(runId);
    return Optional.ofNullable(runs.remove(runId));
  }

  synchronized Optional<RunStatus> run(String runId) {
    return runs.containsKey(runId) ? Optional.of(queued(runId)) : Optional.empty();
  }

  synchronized List<RunStatus> runs() {
    return runs.keySet().stream().map(this::queued).toList();
  }

  /** The node as the host reports it, with the labels set here, unschedulable while cordoned. */
  synchronized NodeInfo apply(NodeInfo n) {
    if (!on && labels.isEmpty()) {
      return n;
    }
    Map<String, String> all = new TreeMap<>(n.labels());
    all.putAll(labels);
    return n.withLabels(all).withSchedulable(n.schedulable() && !on);
  }

  private Instance pending(InstanceSlot s) {
    return new Instance(
        s.id(),
        s.app(),
        s.ordinal(),
        node,
        null,
        hostIp,
        s.revision(),
        InstanceState.PENDING,
        false,
        0,
        null,
        null,
        true,
        reason());
  }

  private RunStatus queued(String runId) {
    return new RunStatus(
        runId, RunState.QUEUED, 0, null, node, hostIp, false, null, null, reason());
  }
}
