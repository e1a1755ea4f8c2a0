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
 * Berth restart; what waits is rebuilt from Berth's next apply and run dispatch. Thread-safe.
 */
final class Cordon {
  private final Path file;
  private final String node;
  private final String hostIp;
  private boolean on;
  private final Map<String, InstanceSlot> instances = new TreeMap<>();
  private final Map<String, RunWorkload> runs = new LinkedHashMap<>();
  private final Map<String, Instant> since = new TreeMap<>();

  Cordon(Path dataDir, String node, String hostIp) {
    this.file = dataDir.resolve("cordoned");
    this.node = node;
    this.hostIp = hostIp;
    this.on = Files.exists(file);
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

  /** The instance waits for the node (again: its slot is updated). */
  synchronized Instance hold(InstanceSlot slot, Instant now) {
    instances.put(slot.id(), slot);
    since.putIfAbsent(slot.id(), now);
    return pending(slot);
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

  synchronized RunStatus hold(RunWorkload run, Instant now) {
    runs.put(run.runId(), run);
    since.putIfAbsent(run.runId(), now);
    return queued(run.runId());
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

  /** The node as the host reports it, unschedulable while cordoned. */
  synchronized NodeInfo apply(NodeInfo n) {
    if (!on) {
      return n;
    }
    return new NodeInfo(
        n.cluster(),
        n.name(),
        n.ip(),
        n.zone(),
        n.labels(),
        n.pool(),
        n.capacity(),
        n.allocatable(),
        n.usage(),
        false,
        n.ready(),
        n.runtimeVersion(),
        n.conditions(),
        n.details());
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
