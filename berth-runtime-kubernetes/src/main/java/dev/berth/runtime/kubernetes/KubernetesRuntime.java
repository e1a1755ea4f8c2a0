package dev.berth.runtime.kubernetes;

import dev.berth.core.event.Event;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.node.PoolDirectory;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.CappedOutput;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.ExecResult;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.runtime.ObservationListener;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.time.Scheduler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterRuntime} on Kubernetes: apps are StatefulSets plus headless Services, runs are
 * Jobs, all in one namespace, computed by {@link Manifests} and written by {@link Applier} only
 * when they differ from what the informers last saw. State comes back through {@link Watchers}
 * (shared informers, no polling). Thread-safe.
 */
public final class KubernetesRuntime implements ClusterRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesRuntime.class);

  /**
   * @param cluster Berth's name of the cluster
   * @param namespace where apps and runs go
   * @param kruise use OpenKruise's Advanced StatefulSet; null detects it (API discovery)
   * @param resync how often informers offer every cached object again (drift repair)
   * @param retries attempts per API call on 409, 429, 5xx and connection failures
   * @param retryBase the first back-off; doubled per attempt
   * @param tolerateUnreachable how long pods stay on an unreachable or not-ready node before
   *     Kubernetes evicts them; null: an hour
   */
  public record Options(
      String cluster,
      String namespace,
      Boolean kruise,
      Duration resync,
      int retries,
      Duration retryBase,
      Duration tolerateUnreachable) {
    public Options {
      namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
      resync = resync == null ? Duration.ofMinutes(5) : resync;
      retries = retries <= 0 ? 4 : retries;
      retryBase = retryBase == null ? Duration.ofMillis(200) : retryBase;
      tolerateUnreachable =
          tolerateUnreachable == null
              ? Placement.DEFAULT_TOLERATE_UNREACHABLE
              : tolerateUnreachable;
    }

    public Options(
        String cluster,
        String namespace,
        Boolean kruise,
        Duration resync,
        int retries,
        Duration retryBase) {
      this(cluster, namespace, kruise, resync, retries, retryBase, null);
    }

    public static Options of(String cluster, String namespace) {
      return new Options(cluster, namespace, null, null, 0, null);
    }

    /** These options with another toleration of unreachable and not-ready nodes. */
    public Options tolerating(Duration unreachable) {
      return new Options(cluster, namespace, kruise, resync, retries, retryBase, unreachable);
    }
  }

  private final KubernetesClient client;
  private final Options options;
  private final Scheduler clock;
  private final boolean kruise;
  private final Applier applier;
  private final Watchers watchers;
  private final Runs runs;
  private final InstanceUpdater updater;
  private final PodResizes resizes;
  private final NodeActions nodeActions;
  private final Evictions evictions;
  private final PoolLookup pools;
  private final Map<String, AppWorkload> desired = new ConcurrentHashMap<>();
  private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore repairs = new Semaphore(4);
  private final AtomicReference<String> watchError = new AtomicReference<>();

  /**
   * @param clock the time of events and the waits between retried API calls; tests pass a {@code
   *     ManualScheduler}
   */
  public KubernetesRuntime(KubernetesClient client, Options options, Scheduler clock) {
    this(client, options, clock, PoolDirectory.NONE);
  }

  /**
   * @param pools the machine pools of this cluster: an app's or run's {@code scheduling.pool}
   *     becomes the pool's node selector and the toleration of its taint
   */
  public KubernetesRuntime(
      KubernetesClient client, Options options, Scheduler clock, PoolDirectory pools) {
    this.client = client;
    this.options = options;
    this.clock = clock;
    this.kruise = options.kruise() != null ? options.kruise() : detectKruise(client);
    Retry retry = new Retry(options.retries(), options.retryBase(), clock);
    this.runs = new Runs(this);
    this.watchers =
        new Watchers(
            client,
            options.cluster(),
            options.namespace(),
            kruise,
            options.resync(),
            clock,
            new Watchers.Hooks() {
              @Override
              public void appObjectChanged(String app) {
                repairLater(app);
              }

              @Override
              public void jobChanged(Job job) {
                runs.changed(job);
              }

              @Override
              public void jobRemoved(Job job) {
                runs.removed(job);
              }

              @Override
              public void instancesChanged(String app) {
                updateLater(app);
              }
            },
            watchError::set);
    this.applier = new Applier(client, options.namespace(), retry, watchers);
    this.updater =
        new InstanceUpdater(options.cluster(), options.namespace(), applier, watchers, clock);
    this.resizes = new PodResizes(client, options.namespace(), kruise, watchers);
    this.nodeActions = new NodeActions(client, retry, watchers);
    this.evictions = new Evictions(client, options.namespace(), retry, watchers);
    this.pools = new PoolLookup(options.cluster(), pools, watchers::happened, clock);
    runs.init(client, options.namespace(), retry, watchers, background);
    watchers.start();
  }

  /** A runtime whose retries wait on {@code scheduler} (the server's one system scheduler). */
  public static KubernetesRuntime start(
      KubernetesClient client, Options options, Scheduler scheduler) {
    return new KubernetesRuntime(client, options, scheduler);
  }

  /** A runtime that places apps and runs on the pools of {@code pools}. */
  public static KubernetesRuntime start(
      KubernetesClient client, Options options, Scheduler scheduler, PoolDirectory pools) {
    return new KubernetesRuntime(client, options, scheduler, pools);
  }

  private static boolean detectKruise(KubernetesClient client) {
    try {
      return client.supports(Manifests.KRUISE_API_VERSION, "StatefulSet");
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot tell whether OpenKruise is installed ({}); using plain StatefulSets",
          Failures.describe(e));
      return false;
    }
  }

  @Override
  public String cluster() {
    return options.cluster();
  }

  /** Whether apps are OpenKruise Advanced StatefulSets here. */
  public boolean kruise() {
    return kruise;
  }

  /** Whether every informer has listed once. */
  public boolean synced() {
    return watchers.synced();
  }

  /** API writes (create, apply, patch, delete) sent so far: a settled reconcile sends none. */
  public long writes() {
    return applier.writes() + runs.writes() + evictions.writes();
  }

  /** The last watch failure an informer reported, if any. */
  public Optional<String> lastWatchError() {
    return Optional.ofNullable(watchError.get());
  }

  Manifests.Target target(AppWorkload w) {
    return new Manifests.Target(
        options.namespace(),
        kruise,
        w.updateSpec().scheduling(),
        options.tolerateUnreachable(),
        pools.of(w.updateSpec().scheduling().pool(), "app", w.app(), w.app()));
  }

  /**
   * Applies the app's objects; when instances were chosen to go first and the cluster has no
   * OpenKruise, also takes the next step of the update Berth drives itself ({@link
   * InstanceUpdater}): at most one pod deleted, none when nothing must move.
   *
   * @throws RuntimeFailure when a write fails after its retries; the caller tries again
   */
  @Override
  public void applyApp(AppWorkload w) {
    desired.put(w.app(), w);
    applier.apply(objects(w));
    if (drivesUpdate(w)) {
      updater.step(w);
    } else {
      updater.forget(w.app());
    }
  }

  /** The app's objects; after an in-place resize the StatefulSet keeps the resized pods. */
  private List<HasMetadata> objects(AppWorkload w) {
    List<HasMetadata> objects = Manifests.forApp(w, target(w));
    return resizes.keepsPods(w) ? PodResizes.keepPods(objects, w.updateRevision()) : objects;
  }

  /**
   * In-place pod resize through each pod's {@code resize} subresource on Kubernetes 1.33 and later
   * ({@link PodResizes}); older clusters and OpenKruise say why not, and the change is released.
   */
  @Override
  public dev.berth.core.runtime.ResizeResult resizeInPlace(
      String app, long revision, dev.berth.core.app.AppSpec spec) {
    return resizes.resize(app, revision, spec, desired.get(app));
  }

  private boolean drivesUpdate(AppWorkload w) {
    return UpdateStrategies.mode(w, kruise) == UpdateStrategies.Mode.ON_DELETE;
  }

  /** After one of the app's instances changed: the next step of an update Berth drives. */
  private void updateLater(String app) {
    if (desired.get(app) != null && drivesUpdate(desired.get(app))) {
      background.execute(
          () -> {
            AppWorkload now = desired.get(app);
            if (now != null && drivesUpdate(now)) {
              updater.stepReporting(now);
            }
          });
    }
  }

  @Override
  public Optional<dev.berth.core.runtime.WorkloadStatus> workloadStatus(String app) {
    return watchers.workloadStatus(app);
  }

  @Override
  public String manifests(AppWorkload w) {
    return Manifests.yaml(objects(w));
  }

  @Override
  public void deleteApp(String app) {
    desired.remove(app);
    updater.forget(app);
    applier.deleteApp(app, kruise);
    evictions.deleteBudget(app);
  }

  /** Cordons ({@code spec.unschedulable: true}) or uncordons the node. */
  @Override
  public void setSchedulable(String node, boolean schedulable) {
    nodeActions.setSchedulable(node, schedulable);
  }

  /** Sets and removes (null) node labels with one merge patch. */
  @Override
  public void labelNode(String node, Map<String, String> labels) {
    nodeActions.label(node, labels);
  }

  /**
   * Through the pod's eviction subresource, behind the PodDisruptionBudget Berth keeps per app
   * ({@link Evictions}).
   */
  @Override
  public dev.berth.core.node.Eviction evict(String app, int ordinal, int maxUnavailable) {
    return evictions.evict(app, ordinal, maxUnavailable);
  }

  @Override
  public void deleteInstance(String app, int ordinal, boolean replace) {
    String id = InstanceIds.id(app, ordinal);
    if (!replace && kruise) {
      return; // the next applyApp puts the ordinal into reserveOrdinals; Kruise removes the pod
    }
    applier.deletePod(id, null);
    if (!replace) {
      watchers.happened(
          Event.warning(
              clock.instant(),
              cluster(),
              "instance",
              id,
              app,
              "OrdinalNotReserved",
              deleteInstanceNote(app, ordinal, false).orElse("")));
    }
  }

  @Override
  public Optional<String> deleteInstanceNote(String app, int ordinal, boolean replace) {
    if (replace || kruise) {
      return Optional.empty();
    }
    return Optional.of(
        "cluster "
            + cluster()
            + " has no OpenKruise, so ordinal "
            + ordinal
            + " cannot stay free: pod "
            + InstanceIds.id(app, ordinal)
            + " was deleted and the StatefulSet recreates it with the same name");
  }

  /**
   * Labels the pod {@code berth.dev/traffic: on} or {@code off}; the app's Service selects only
   * {@code on}, so an offline pod leaves the Service's endpoints and DNS names but keeps running.
   */
  @Override
  public void setOnline(String app, int ordinal, boolean online) {
    applier.labelTraffic(InstanceIds.id(app, ordinal), online);
  }

  @Override
  public void restartInstance(String app, int ordinal) {
    applier.deletePod(InstanceIds.id(app, ordinal), null);
  }

  @Override
  public List<Instance> instances(String app) {
    return watchers.instances(app);
  }

  @Override
  public void observe(ObservationListener listener) {
    watchers.listen(listener);
  }

  /**
   * Kubernetes pulls images itself; the reference is passed on unchanged (pull errors show on the
   * instance).
   */
  @Override
  public String resolveImage(String image) {
    return image;
  }

  /** The pod of an instance, or the latest pod of a run. */
  private Pod podOf(String instanceId) {
    Pod pod = watchers.pods.getStore().getByKey(options.namespace() + "/" + instanceId);
    if (pod != null) {
      return pod;
    }
    return runs.latestPod(instanceId)
        .orElseThrow(() -> new NotFoundException("instance", instanceId));
  }

  /**
   * A terminal through the pod's exec subresource with a TTY. Kubernetes keeps no filesystem of an
   * ended container to open one in: an ended run is refused with the reason.
   */
  @Override
  public dev.berth.core.runtime.Terminal openTerminal(
      String instanceId, List<String> command, int columns, int rows) {
    Pod pod = podOf(instanceId);
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (!"Running".equals(phase)) {
      throw new dev.berth.core.support.ConflictException(
          "pod "
              + pod.getMetadata().getName()
              + " is "
              + (phase == null ? "not started" : phase)
              + ": on Kubernetes a terminal opens only into a running container");
    }
    try {
      return PodTerminal.open(client, options.namespace(), pod, command, columns, rows);
    } catch (RuntimeException e) {
      throw new RuntimeFailure("terminal in " + instanceId + ": " + Failures.describe(e), e);
    }
  }

  @Override
  public ExecResult exec(String instanceId, List<String> command, Duration timeout) {
    Pod pod = podOf(instanceId);
    // Kept as it arrives, at most the cap: a command printing without end fills no memory.
    CappedOutput out = new CappedOutput(ExecResult.OUTPUT_CAP);
    try (ExecWatch w =
        client
            .pods()
            .inNamespace(options.namespace())
            .withName(pod.getMetadata().getName())
            .inContainer(pod.getSpec().getContainers().getFirst().getName())
            .writingOutput(out)
            .writingError(out)
            .exec(command.toArray(String[]::new))) {
      // The limit is the scheduler's time, so a test with manual time decides when it is over.
      java.util.concurrent.CompletableFuture<Integer> exit =
          new java.util.concurrent.CompletableFuture<>();
      w.exitCode()
          .whenComplete(
              (code, error) -> {
                if (error != null) {
                  exit.completeExceptionally(error);
                } else {
                  exit.complete(code);
                }
              });
      Scheduler.Cancellable limit =
          clock.schedule(timeout, () -> exit.completeExceptionally(new TimeoutException()));
      try {
        return new ExecResult(exit.get(), out.text(), false);
      } finally {
        limit.cancel();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted while running a command in " + instanceId, e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof TimeoutException) {
        return new ExecResult(-1, out.text(), true);
      }
      throw new RuntimeFailure("exec in " + instanceId + ": " + Failures.describe(e), e);
    } catch (RuntimeException e) {
      throw new RuntimeFailure("exec in " + instanceId + ": " + Failures.describe(e), e);
    }
  }

  @Override
  public LogStream logs(String instanceId, LogQuery query) {
    String pod =
        watchers.pods.getStore().getByKey(options.namespace() + "/" + instanceId) != null
            ? instanceId
            : runs.latestPod(instanceId)
                .map(p -> p.getMetadata().getName())
                .orElseThrow(() -> new NotFoundException("instance", instanceId));
    var timed = client.pods().inNamespace(options.namespace()).withName(pod).usingTimestamps();
    io.fabric8.kubernetes.client.dsl.TailPrettyLoggable since =
        query.since() == null ? timed : timed.sinceTime(query.since().toString());
    io.fabric8.kubernetes.client.dsl.PrettyLoggable res =
        query.tail() >= 0 ? since.tailingLines(query.tail()) : since;
    try {
      if (query.follow()) {
        return PodLogs.following(res.watchLog());
      }
      return PodLogs.of(res.getLog());
    } catch (RuntimeException e) {
      if (Failures.code(e) == 404) {
        throw new NotFoundException("instance", instanceId);
      }
      throw new RuntimeFailure("logs of " + instanceId + ": " + Failures.describe(e), e);
    }
  }

  @Override
  public void startRun(RunWorkload run) {
    runs.start(run, pools.of(run.spec().scheduling().pool(), "run", run.runId(), null));
  }

  @Override
  public void stopRun(String runId, Duration grace) {
    runs.stop(runId, grace);
  }

  @Override
  public void reclaimRun(String runId) {
    runs.reclaim(runId);
  }

  @Override
  public Optional<RunStatus> run(String runId) {
    return runs.status(runId);
  }

  @Override
  public List<RunStatus> runs() {
    return runs.all();
  }

  /**
   * The nodes with what their pods request (every pod of the cluster, from one informer); until
   * that informer has listed (or while RBAC forbids it) requested stays unknown.
   */
  @Override
  public List<NodeInfo> nodes() {
    return watchers.nodes.getStore().list().stream()
        .map(
            n ->
                watchers.podsOnNodes.hasSynced()
                    ? NodeLoad.node(
                        cluster(),
                        options.namespace(),
                        n,
                        watchers.podsOn(n.getMetadata().getName()))
                    : NodeMapper.node(cluster(), n))
        .sorted(Comparator.comparing(NodeInfo::name))
        .toList();
  }

  /**
   * Node and pod usage from {@code metrics.k8s.io} when the cluster serves it (nothing otherwise);
   * a pod's node comes from the pod informer.
   */
  @Override
  public List<dev.berth.core.metrics.Sample> usage() {
    return ResourceMetrics.read(
        client,
        cluster(),
        options.namespace(),
        pod -> {
          var p = watchers.pods.getStore().getByKey(options.namespace() + "/" + pod);
          return p == null || p.getSpec() == null ? null : p.getSpec().getNodeName();
        },
        clock.instant());
  }

  /**
   * Re-applies an app whose objects drifted from what Berth last applied (edited or deleted by
   * someone).
   */
  private void repairLater(String app) {
    AppWorkload w = desired.get(app);
    if (w == null) {
      return;
    }
    List<HasMetadata> want;
    try {
      want = objects(w);
    } catch (RuntimeFailure e) {
      LOG.warn("cluster {}: cannot compute the objects of {}: {}", cluster(), app, e.getMessage());
      return; // a later resync tries again
    }
    if (!applier.drifted(want)) {
      return;
    }
    background.execute(
        () -> {
          if (!repairs.tryAcquire()) {
            return; // a later resync tries again; never pile up
          }
          try {
            if (desired.get(app) == w && applier.drifted(want)) {
              LOG.info(
                  "cluster {}: objects of {} drifted from what Berth applied; applying again",
                  cluster(),
                  app);
              applier.apply(want);
              watchers.happened(
                  Event.normal(
                      clock.instant(),
                      cluster(),
                      "app",
                      app,
                      app,
                      "DriftRepaired",
                      "objects changed outside Berth were put back"));
            }
          } catch (RuntimeException e) {
            watchers.happened(
                Event.warning(
                    clock.instant(),
                    cluster(),
                    "app",
                    app,
                    app,
                    "ApplyFailed",
                    e.getMessage() + "; retried at the next resync"));
          } finally {
            repairs.release();
          }
        });
  }

  InstantSource clock() {
    return clock;
  }

  Watchers watchers() {
    return watchers;
  }

  @Override
  public void close() {
    watchers.close();
    background.shutdownNow();
    client.close();
  }
}
