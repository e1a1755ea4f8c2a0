package dev.berth.core.testing;

import dev.berth.core.event.Event;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.ExecResult;
import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.InstanceSlot;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.ObservationListener;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ClusterRuntime} in memory for controller tests. It records what it is asked to do
 * (applied workloads, deleted and restarted instances, started and stopped runs) and keeps
 * instances and runs the way the contract says a runtime does, with time from a {@link Scheduler}:
 * applying a workload creates missing instances (pending), replaces those on the wrong revision and
 * removes unwanted ones; a run is enforced by its {@link RunWorkload} (timeout over all attempts,
 * retries after a back-off of 10 s doubling, reclaimed at the end unless a failed run is kept).
 * Tests play the containers' part: an instance becomes ready, exits, is OOM-killed; a run's attempt
 * exits. Every change is reported to the observers, as a real runtime does. Thread-safe.
 */
public final class FakeClusterRuntime implements ClusterRuntime {
  /** The first wait before a failed attempt's retry; doubles per retry, like a Job's back-off. */
  public static final Duration RUN_BACKOFF = Duration.ofSeconds(10);

  /** The first wait before an exited instance restarts; doubles per restart up to five minutes. */
  public static final Duration RESTART_BACKOFF = Duration.ofSeconds(10);

  private final String cluster;
  private final Scheduler time;
  private final List<ObservationListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Map<Integer, Instance>> instances = new TreeMap<>();
  private final List<AppWorkload> applied = new ArrayList<>();
  private final List<String> deletedInstances = new ArrayList<>();
  private final List<String> restarted = new ArrayList<>();
  private final Map<String, RunWorkload> workloads = new TreeMap<>();
  private final Map<String, RunStatus> runs = new TreeMap<>();
  private final Map<String, Scheduler.Cancellable> runTimers = new TreeMap<>();
  private final List<String> stopped = new ArrayList<>();
  private final Set<String> missingImages = new HashSet<>();
  private int nodes = 1;
  private final Set<String> cordoned = new HashSet<>();
  private String evictionRefusal;
  private final List<String> evicted = new ArrayList<>();

  public FakeClusterRuntime(String cluster, Scheduler time) {
    this.cluster = cluster;
    this.time = time;
  }

  // ------------------------------------------------------------------ what tests set up and read

  private int failingApplies;

  /** The next {@code n} calls of {@link #applyApp} fail, as a runtime that is down would. */
  public synchronized void failApplies(int n) {
    failingApplies = n;
  }

  /** The registry lacks {@code image}: resolving it fails as a runtime's would. */
  public synchronized FakeClusterRuntime withoutImage(String image) {
    missingImages.add(image);
    return this;
  }

  /** The cluster has {@code count} schedulable nodes (1 unless set). */
  public synchronized FakeClusterRuntime withNodes(int count) {
    nodes = count;
    return this;
  }

  /** Every workload applied so far, in order. */
  public synchronized List<AppWorkload> applied() {
    return List.copyOf(applied);
  }

  /** The last workload applied for {@code app}. */
  public synchronized AppWorkload lastApplied(String app) {
    return applied.reversed().stream()
        .filter(w -> w.app().equals(app))
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing applied for " + app));
  }

  /** Instances deleted by {@link #deleteInstance}, as {@code id} or {@code id (replaced)}. */
  public synchronized List<String> deletedInstances() {
    return List.copyOf(deletedInstances);
  }

  /** Instances restarted by {@link #restartInstance}, by id. */
  public synchronized List<String> restarted() {
    return List.copyOf(restarted);
  }

  /** The run workloads started, by run id. */
  public synchronized Map<String, RunWorkload> startedRuns() {
    return Map.copyOf(workloads);
  }

  /** Runs stopped by {@link #stopRun}, by id, in order. */
  public synchronized List<String> stoppedRuns() {
    return List.copyOf(stopped);
  }

  /** The instance is up and passes its readiness check. */
  public synchronized void ready(String app, int ordinal) {
    Instance i = require(app, ordinal);
    put(with(i, InstanceState.RUNNING, true, i.restarts(), i.lastExit(), "ready"));
    happened(Event.normal(time.instant(), cluster, "instance", i.id(), app, "Ready", "ready"));
  }

  /** Every instance of {@code app} becomes ready. */
  public synchronized void allReady(String app) {
    instances.getOrDefault(app, Map.of()).keySet().stream().toList().forEach(o -> ready(app, o));
  }

  /** The instance's process exits with {@code code}; it restarts after the back-off. */
  public synchronized void exit(String app, int ordinal, int code) {
    ended(app, ordinal, ExitInfo.of(code, false, time.instant()), "Restarted");
  }

  /** The kernel's OOM killer kills the instance's process; it restarts after the back-off. */
  public synchronized void oomKill(String app, int ordinal) {
    ended(app, ordinal, ExitInfo.of(137, true, time.instant()), "OOMKilled");
  }

  /** The current attempt of a run exits with {@code code} (137 with {@code oom}: OOM-killed). */
  public synchronized void runExits(String runId, int code, boolean oom) {
    RunStatus s = requireRun(runId);
    if (s.state().isFinal() || s.state() != dev.berth.core.task.RunState.RUNNING) {
      throw new IllegalStateException(
          "run " + runId + " has no attempt running (" + s.state() + ")");
    }
    ExitInfo exit = ExitInfo.of(code, oom, time.instant());
    RunWorkload w = workloads.get(runId);
    if (code == 0 && !oom) {
      end(runId, dev.berth.core.task.RunState.SUCCEEDED, exit, "succeeded");
    } else if (s.attempts() <= w.retries()) {
      Duration wait = RUN_BACKOFF.multipliedBy(1L << (s.attempts() - 1));
      put(
          new RunStatus(
              runId,
              dev.berth.core.task.RunState.RUNNING,
              s.attempts(),
              exit,
              s.node(),
              s.hostIp(),
              false,
              s.startedAt(),
              null,
              "attempt "
                  + s.attempts()
                  + " "
                  + exit.message()
                  + "; retrying in "
                  + wait.toSeconds()
                  + "s"));
      time.schedule(wait, () -> nextAttempt(runId, s.attempts() + 1));
    } else {
      end(
          runId,
          dev.berth.core.task.RunState.FAILED,
          exit,
          exit.message() + (w.retries() > 0 ? " after " + s.attempts() + " attempts" : ""));
    }
  }

  /** From now on every eviction is refused with {@code reason} (null: accepted again). */
  public synchronized void refuseEvictions(String reason) {
    evictionRefusal = reason;
  }

  /** Instances evicted so far, by id, in order. */
  public synchronized List<String> evicted() {
    return List.copyOf(evicted);
  }

  // ------------------------------------------------------------------ the contract

  @Override
  public String cluster() {
    return cluster;
  }

  @Override
  public synchronized void applyApp(AppWorkload desired) {
    if (failingApplies > 0) {
      failingApplies--;
      throw new IllegalStateException("the runtime is unavailable (a test's fault)");
    }
    applied.add(desired);
    Map<Integer, Instance> current = instances.computeIfAbsent(desired.app(), k -> new TreeMap<>());
    List<Integer> wanted = desired.ordinals();
    for (Integer o : List.copyOf(current.keySet())) {
      if (!wanted.contains(o)) {
        remove(desired.app(), o);
      }
    }
    for (InstanceSlot slot : desired.slots()) {
      Instance i = current.get(slot.ordinal());
      if (i == null || i.revision() != slot.revision()) {
        put(fresh(desired.app(), slot.ordinal(), slot.revision()));
      }
    }
  }

  @Override
  public synchronized void deleteApp(String app) {
    for (Integer o : List.copyOf(instances.getOrDefault(app, Map.of()).keySet())) {
      remove(app, o);
    }
    instances.remove(app);
  }

  @Override
  public synchronized void deleteInstance(String app, int ordinal, boolean replace) {
    Instance i = require(app, ordinal);
    deletedInstances.add(i.id() + (replace ? " (replaced)" : ""));
    remove(app, ordinal);
    if (replace) {
      put(fresh(app, ordinal, i.revision()));
    }
  }

  @Override
  public synchronized void restartInstance(String app, int ordinal) {
    Instance i = require(app, ordinal);
    restarted.add(i.id());
    put(with(i, InstanceState.RUNNING, false, i.restarts() + 1, i.lastExit(), "restarted"));
  }

  @Override
  public synchronized List<Instance> instances(String app) {
    return List.copyOf(instances.getOrDefault(app, Map.of()).values());
  }

  @Override
  public void observe(ObservationListener listener) {
    listeners.add(listener);
  }

  @Override
  public synchronized String resolveImage(String image) {
    if (missingImages.contains(image)) {
      throw new ImageNotFoundException(
          "image " + image + " not found: the registry has no such repository or tag");
    }
    return "sha256:" + "0".repeat(64);
  }

  @Override
  public ExecResult exec(String instanceId, List<String> command, Duration timeout) {
    return new ExecResult(0, "", false);
  }

  @Override
  public LogStream logs(String instanceId, LogQuery query) {
    throw new NotFoundException("log", instanceId);
  }

  @Override
  public synchronized void startRun(RunWorkload run) {
    if (workloads.containsKey(run.runId())) {
      return;
    }
    workloads.put(run.runId(), run);
    runTimers.put(run.runId(), time.schedule(run.timeout(), () -> timedOut(run.runId())));
    nextAttempt(run.runId(), 1);
  }

  @Override
  public synchronized void stopRun(String runId, Duration grace) {
    RunStatus s = runs.get(runId);
    if (s == null || s.state().isFinal()) {
      return;
    }
    stopped.add(runId);
    ExitInfo exit = ExitInfo.of(143, false, time.instant());
    end(runId, dev.berth.core.task.RunState.CANCELLED, exit, "Run cancelled; " + exit.message());
  }

  @Override
  public synchronized void reclaimRun(String runId) {
    RunStatus s = runs.get(runId);
    if (s == null || s.reclaimed()) {
      return;
    }
    if (!s.state().isFinal()) {
      stopRun(runId, Duration.ZERO);
      s = runs.get(runId);
    }
    put(
        new RunStatus(
            runId,
            s.state(),
            s.attempts(),
            s.lastExit(),
            s.node(),
            s.hostIp(),
            true,
            s.startedAt(),
            s.endedAt(),
            s.message()));
  }

  @Override
  public synchronized Optional<RunStatus> run(String runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  @Override
  public synchronized List<RunStatus> runs() {
    return List.copyOf(runs.values());
  }

  /**
   * Cordons or uncordons {@code node-<n>}. Instances placed later go to the first schedulable node;
   * with none they wait pending on the cordoned one.
   */
  @Override
  public synchronized void setSchedulable(String node, boolean schedulable) {
    if (nodes().stream().noneMatch(n -> n.name().equals(node))) {
      throw new NotFoundException("node", node);
    }
    if (schedulable) {
      cordoned.remove(node);
    } else {
      cordoned.add(node);
    }
  }

  /**
   * Evicts the instance the way a StatefulSet's pod is evicted: it goes, and is created again at
   * once on a schedulable node (pending), or pending on its own node while no node takes it.
   */
  @Override
  public synchronized dev.berth.core.node.Eviction evict(String app, int ordinal, int max) {
    if (evictionRefusal != null) {
      return dev.berth.core.node.Eviction.blocked(evictionRefusal);
    }
    Instance i = instances.getOrDefault(app, Map.of()).get(ordinal);
    if (i == null) {
      return dev.berth.core.node.Eviction.DONE;
    }
    evicted.add(i.id());
    remove(app, ordinal);
    put(fresh(app, ordinal, i.revision()));
    return dev.berth.core.node.Eviction.DONE;
  }

  @Override
  public synchronized List<NodeInfo> nodes() {
    List<NodeInfo> out = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      NodeInfo.Capacity c = new NodeInfo.Capacity(4, 8192, 110);
      out.add(
          new NodeInfo(
              cluster,
              "node-" + n,
              "10.0.0." + (n + 1),
              null,
              Map.of(),
              null,
              c,
              c,
              new NodeInfo.Capacity(0, 0, 0),
              !cordoned.contains("node-" + n),
              true,
              "fake"));
    }
    return out;
  }

  private volatile java.util.function.Supplier<List<dev.berth.core.metrics.Sample>> usage =
      List::of;

  /** What {@link #usage()} answers from now on (it may throw, as an unreachable cluster does). */
  public void usage(java.util.function.Supplier<List<dev.berth.core.metrics.Sample>> samples) {
    this.usage = samples;
  }

  @Override
  public List<dev.berth.core.metrics.Sample> usage() {
    return usage.get();
  }

  @Override
  public void close() {}

  // ------------------------------------------------------------------ inside

  private synchronized void nextAttempt(String runId, int attempt) {
    RunStatus s = runs.get(runId);
    if (s != null && s.state().isFinal()) {
      return;
    }
    put(
        new RunStatus(
            runId,
            dev.berth.core.task.RunState.RUNNING,
            attempt,
            s == null ? null : s.lastExit(),
            "node-0",
            "10.0.0.1",
            false,
            s == null ? time.instant() : s.startedAt(),
            null,
            "attempt " + attempt + " running"));
  }

  private synchronized void timedOut(String runId) {
    RunStatus s = runs.get(runId);
    if (s != null && !s.state().isFinal()) {
      end(
          runId,
          dev.berth.core.task.RunState.TIMED_OUT,
          ExitInfo.of(137, false, time.instant()),
          "timed out after "
              + workloads.get(runId).timeout().toSeconds()
              + "s: SIGTERM, then SIGKILL");
    }
  }

  private void end(
      String runId, dev.berth.core.task.RunState state, ExitInfo exit, String message) {
    RunStatus s = runs.get(runId);
    Optional.ofNullable(runTimers.remove(runId)).ifPresent(Scheduler.Cancellable::cancel);
    boolean failed =
        state == dev.berth.core.task.RunState.FAILED
            || state == dev.berth.core.task.RunState.TIMED_OUT;
    boolean kept = failed && workloads.get(runId).keepOnFailure();
    put(
        new RunStatus(
            runId,
            state,
            s.attempts(),
            exit,
            s.node(),
            s.hostIp(),
            !kept,
            s.startedAt(),
            time.instant(),
            message));
  }

  private void ended(String app, int ordinal, ExitInfo exit, String reason) {
    Instance i = require(app, ordinal);
    int restarts = i.restarts() + 1;
    Duration wait = RESTART_BACKOFF.multipliedBy(1L << Math.min(restarts - 1, 5));
    Duration capped = wait.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : wait;
    put(
        with(
            i,
            InstanceState.BACKOFF,
            false,
            restarts,
            exit,
            exit.message() + "; restarting in " + capped.toSeconds() + "s"));
    happened(
        Event.warning(
            time.instant(),
            cluster,
            "instance",
            i.id(),
            app,
            reason,
            exit.message() + "; restarted (" + restarts + " restarts)"));
    time.schedule(capped, () -> restartedAfterBackoff(app, ordinal, restarts));
  }

  private synchronized void restartedAfterBackoff(String app, int ordinal, int restarts) {
    Instance i = instances.getOrDefault(app, Map.of()).get(ordinal);
    if (i != null && i.state() == InstanceState.BACKOFF && i.restarts() == restarts) {
      put(with(i, InstanceState.RUNNING, false, restarts, i.lastExit(), "started"));
    }
  }

  private Instance fresh(String app, int ordinal, long revision) {
    String node = "node-0";
    for (int n = nodes - 1; n >= 0; n--) {
      node = cordoned.contains("node-" + n) ? node : "node-" + n;
    }
    return new Instance(
        InstanceIds.id(app, ordinal),
        app,
        ordinal,
        node,
        "10.0.0." + (ordinal + 10),
        "10.0.0.1",
        revision,
        InstanceState.PENDING,
        false,
        0,
        null,
        null,
        true,
        "pending");
  }

  private Instance with(
      Instance i, InstanceState state, boolean ready, int restarts, ExitInfo exit, String message) {
    return new Instance(
        i.id(),
        i.app(),
        i.ordinal(),
        i.node(),
        i.ip(),
        i.hostIp(),
        i.revision(),
        state,
        ready,
        restarts,
        exit,
        state == InstanceState.RUNNING && i.startedAt() == null ? time.instant() : i.startedAt(),
        i.online(),
        message);
  }

  private Instance require(String app, int ordinal) {
    Instance i = instances.getOrDefault(app, Map.of()).get(ordinal);
    if (i == null) {
      throw new IllegalStateException("no instance " + InstanceIds.id(app, ordinal));
    }
    return i;
  }

  private RunStatus requireRun(String runId) {
    RunStatus s = runs.get(runId);
    if (s == null) {
      throw new IllegalStateException("no run " + runId + " was started");
    }
    return s;
  }

  private void put(Instance i) {
    instances.computeIfAbsent(i.app(), k -> new TreeMap<>()).put(i.ordinal(), i);
    tell(new Observation.InstanceChanged(cluster, i));
  }

  private void remove(String app, int ordinal) {
    Instance gone = instances.getOrDefault(app, Map.of()).remove(ordinal);
    if (gone != null) {
      tell(new Observation.InstanceRemoved(cluster, app, gone.id()));
    }
  }

  private void put(RunStatus s) {
    runs.put(s.runId(), s);
    tell(new Observation.RunChanged(cluster, s));
  }

  private void happened(Event e) {
    tell(new Observation.Happened(cluster, e));
  }

  private void tell(Observation o) {
    listeners.forEach(l -> l.on(o));
  }
}
