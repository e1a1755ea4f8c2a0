package dev.berth.core.runtime;

import dev.berth.core.node.NodeInfo;
import java.time.Duration;
import java.util.List;

/**
 * Runs workloads on one cluster. Controllers talk only to this interface, so the same controller
 * drives the embedded local runtime (runc on this host) and Kubernetes.
 *
 * <p>Every mutating method is idempotent: calling it again with the same arguments changes nothing.
 * Methods may be called from any thread, concurrently for different applications. Failures that are
 * worth retrying are thrown as {@link RuntimeFailure} or {@link RegistryUnavailableException}; the
 * caller retries with back-off. Observed state flows back through {@link #observe}.
 */
public interface ClusterRuntime extends AutoCloseable {
  /** The name of the cluster this runtime drives. */
  String cluster();

  /**
   * Makes the application's instances match {@code desired}: creates missing ones, replaces those
   * on the wrong revision, removes those whose ordinal is no longer wanted. Returns without waiting
   * for the instances to start; their progress arrives as observations. Keeps instances restarting
   * with back-off when they exit.
   */
  void applyApp(AppWorkload desired);

  /** Stops and removes every instance of the application and everything they hold. Idempotent. */
  void deleteApp(String app);

  /**
   * Removes one chosen instance. With {@code replace} it is created again at once with the same
   * identity and a fresh filesystem; without, the caller also reserves its ordinal in the next
   * {@link #applyApp} so that it stays away.
   */
  void deleteInstance(String app, int ordinal, boolean replace);

  /**
   * What {@link #deleteInstance} does here when that differs from its contract, as a sentence for
   * the API answer; empty when it does exactly what the contract says. Pure, no I/O beyond what the
   * runtime already knows. Example: Kubernetes without OpenKruise cannot keep an ordinal free, so
   * the pod is deleted and comes back with the same identity.
   */
  default java.util.Optional<String> deleteInstanceNote(String app, int ordinal, boolean replace) {
    return java.util.Optional.empty();
  }

  /**
   * The objects this runtime applies for {@code desired}, as a YAML stream (for review and GitOps).
   * Pure: computes, never applies.
   *
   * @throws UnsupportedOperationException when the runtime has no manifests (the local runtime)
   */
  default String manifests(AppWorkload desired) {
    throw new UnsupportedOperationException(
        "cluster " + cluster() + " does not describe its workloads as manifests");
  }

  /**
   * Puts one instance into or out of the traffic this runtime's own network routes (on Kubernetes:
   * the Service's endpoints and its DNS names); the instance keeps running either way. Idempotent;
   * the observed {@link Instance#online()} follows. Where Berth routes the traffic itself
   * (discovery, DNS and the gateway read Berth's stored state; the local runtime) the runtime only
   * reports it; the default does nothing. May block on the runtime's API; throws {@link
   * RuntimeFailure} when that fails (the caller tries again on the next observation).
   */
  default void setOnline(String app, int ordinal, boolean online) {}

  /** Gracefully stops one instance and starts it again with the same identity and filesystem. */
  void restartInstance(String app, int ordinal);

  /** The instances of an application as last observed, ordered by ordinal. */
  List<Instance> instances(String app);

  /**
   * What the cluster's own workload controller last reported about the app (a StatefulSet's status
   * on Kubernetes), when the runtime has such a controller. Reads a cache; no I/O. Empty on
   * runtimes that update instances themselves (the local runtime) and for unknown apps.
   */
  default java.util.Optional<WorkloadStatus> workloadStatus(String app) {
    return java.util.Optional.empty();
  }

  /** Registers a listener for every later observation. */
  void observe(ObservationListener listener);

  /**
   * Resolves an image reference to its digest so that a bad reference is refused before anything is
   * created.
   *
   * @throws ImageNotFoundException when the repository or tag does not exist
   * @throws RegistryUnavailableException when the registry cannot be reached
   */
  String resolveImage(String image);

  /**
   * Runs a command inside a running instance, or inside the kept filesystem of an ended run (a new
   * container on that filesystem), waiting at most {@code timeout}.
   */
  ExecResult exec(String instanceId, List<String> command, Duration timeout);

  /**
   * Starts {@code command} with a terminal (TTY) of {@code columns} x {@code rows} inside a running
   * instance or a running run, or on the kept filesystem of an ended run (a new container on that
   * filesystem), the way {@link #exec} does without a terminal. Returns once the command runs; the
   * caller owns the returned terminal and closes it. Not idempotent: every call starts a new
   * command. May block briefly on the runtime (starting the process, the API's upgrade).
   *
   * @throws dev.berth.core.support.NotFoundException when the instance or run does not exist
   * @throws dev.berth.core.support.ConflictException when it is not running (and no kept
   *     filesystem)
   * @throws RuntimeFailure when the runtime cannot start the command
   * @throws UnsupportedOperationException when the runtime has no terminals
   */
  default Terminal openTerminal(String instanceId, List<String> command, int columns, int rows) {
    throw new UnsupportedOperationException("cluster " + cluster() + " has no terminals");
  }

  /**
   * Reads an instance's or a run's console log: lines with their time and stream where the runtime
   * knows them ({@link LogLine}), {@code since} applied before {@code tail} ({@link LogQuery}).
   * Returns quickly; the stream reads lazily and is closed by the caller.
   *
   * @throws dev.berth.core.support.NotFoundException when the instance has no log
   */
  LogStream logs(String instanceId, LogQuery query);

  /**
   * Starts a task run. Idempotent on {@code run.runId()}: a run that already exists, running or
   * ended, is left alone. Returns without waiting; progress arrives as {@link
   * Observation.RunChanged}.
   */
  void startRun(RunWorkload run);

  /** Stops a run: SIGTERM, {@code grace}, SIGKILL; it ends {@code cancelled}. Idempotent. */
  void stopRun(String runId, Duration grace);

  /**
   * Removes an ended run's container, filesystem and cgroup (its log stays within log retention).
   * Idempotent; a running run is stopped first.
   */
  void reclaimRun(String runId);

  /** A run as last observed, when the runtime knows it. */
  java.util.Optional<RunStatus> run(String runId);

  /** Every run the runtime knows (after a Berth restart: the ones it re-adopted). */
  List<RunStatus> runs();

  /** The cluster's machines. */
  List<NodeInfo> nodes();

  /**
   * Cordons ({@code schedulable = false}) or uncordons a node: a cordoned node gets no new
   * instances or runs; those already there keep running. On Kubernetes this is the node's {@code
   * spec.unschedulable}; the local runtime stops placing new containers on its one node (they wait
   * as pending with the reason) and keeps the mark across Berth restarts. Idempotent.
   *
   * @throws dev.berth.core.support.NotFoundException when the node does not exist
   * @throws UnsupportedOperationException when the runtime cannot cordon
   */
  default void setSchedulable(String node, boolean schedulable) {
    throw new UnsupportedOperationException("cluster " + cluster() + " cannot cordon nodes");
  }

  /**
   * Sets node labels: a non-null value sets the label, a null value removes it; labels not named
   * stay. Idempotent.
   *
   * @throws dev.berth.core.support.NotFoundException when the node does not exist
   * @throws UnsupportedOperationException when the runtime cannot label nodes
   */
  default void labelNode(String node, java.util.Map<String, String> labels) {
    throw new UnsupportedOperationException("cluster " + cluster() + " cannot label nodes");
  }

  /**
   * Asks the cluster to move one instance off its node the way a drain does, honouring the app's
   * disruption budget: at most {@code maxUnavailable} of its instances may be unavailable at once.
   * On Kubernetes this is the pod's eviction subresource behind a PodDisruptionBudget the runtime
   * keeps per app (written here when missing or different); a 429 comes back as {@link
   * dev.berth.core.node.Eviction#blocked}. Locally the instance is stopped and, while its node is
   * cordoned, not started again. Idempotent: an instance already gone counts as evicted.
   *
   * @throws UnsupportedOperationException when the runtime cannot evict
   */
  default dev.berth.core.node.Eviction evict(String app, int ordinal, int maxUnavailable) {
    throw new UnsupportedOperationException("cluster " + cluster() + " cannot evict instances");
  }

  /**
   * What the cluster's nodes, instances and runs use now, as samples named by {@link
   * dev.berth.core.metrics.MetricNames} with the labels the runtime knows ({@code cluster}, {@code
   * node}, {@code app}, {@code instance}; {@code task}, {@code run}); the caller adds {@code team}.
   * Counters are cumulative. A value the runtime cannot read (a file this kernel lacks, an API the
   * cluster does not serve) is left out, never an error; only a cluster that cannot be asked at all
   * throws. Called periodically (every 15 s by default) from one thread; cheap enough for that.
   * Default: nothing measured.
   *
   * @throws dev.berth.core.metrics.MetricsUnavailableException when the cluster cannot be asked
   */
  default List<dev.berth.core.metrics.Sample> usage() {
    return List.of();
  }

  /** Stops watching and supervising. Never stops workloads: they outlive Berth. */
  @Override
  void close();
}
