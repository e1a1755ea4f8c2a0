package dev.berth.runtime.kubernetes;

import dev.berth.core.event.Event;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.ObservationListener;
import dev.berth.core.runtime.RunStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared informers of one cluster (Berth's pods, StatefulSets, Services and Jobs in the target
 * namespace, the namespace's events, every node) and the observations they turn into. Informers
 * keep their own caches; a watch that breaks is re-established by the informer (with back-off,
 * relisting after a 410); every {@code resync} each cached object is offered again, which repairs
 * drift.
 */
final class Watchers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Watchers.class);

  private final String cluster;
  private final InstantSource clock;
  private final List<ObservationListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Instance> instances = new ConcurrentHashMap<>();
  private final EventMapper events;
  private final String namespace;
  private final Hooks hooks;
  private final List<SharedIndexInformer<?>> all = new CopyOnWriteArrayList<>();
  final SharedIndexInformer<Pod> pods;
  final SharedIndexInformer<? extends HasMetadata> statefulSets;
  final SharedIndexInformer<Service> services;
  final SharedIndexInformer<Job> jobs;
  final SharedIndexInformer<Node> nodes;

  /**
   * Every pod of the cluster that has not ended, indexed by node: what the node view counts as
   * requested.
   */
  final SharedIndexInformer<Pod> podsOnNodes;

  private static final String BY_NODE = "node";
  final SharedIndexInformer<io.fabric8.kubernetes.api.model.Event> kubeEvents;

  /**
   * Called for a StatefulSet that changed or vanished (drift repair) and for a Job that changed.
   */
  interface Hooks {
    void appObjectChanged(String app);

    void jobChanged(Job job);

    void jobRemoved(Job job);

    /** An instance of {@code app} changed or vanished (an update Berth drives may go on). */
    default void instancesChanged(String app) {}
  }

  Watchers(
      KubernetesClient client,
      String cluster,
      String namespace,
      boolean kruise,
      Duration resync,
      InstantSource clock,
      Hooks hooks,
      Consumer<String> onWatchError) {
    this.cluster = cluster;
    this.clock = clock;
    this.events = new EventMapper(cluster, clock.instant());
    this.namespace = namespace;
    this.hooks = hooks;
    long resyncMs = resync.toMillis();
    var ns = client.pods().inNamespace(namespace);
    pods =
        track(
            ns.withLabel(Labels.MANAGED_BY, Labels.BERTH).runnableInformer(resyncMs), onWatchError);
    statefulSets =
        kruise
            ? track(
                client
                    .genericKubernetesResources(Manifests.KRUISE_API_VERSION, "StatefulSet")
                    .inNamespace(namespace)
                    .withLabel(Labels.MANAGED_BY, Labels.BERTH)
                    .runnableInformer(resyncMs),
                onWatchError)
            : track(
                client
                    .apps()
                    .statefulSets()
                    .inNamespace(namespace)
                    .withLabel(Labels.MANAGED_BY, Labels.BERTH)
                    .runnableInformer(resyncMs),
                onWatchError);
    services =
        track(
            client
                .services()
                .inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.BERTH)
                .runnableInformer(resyncMs),
            onWatchError);
    jobs =
        track(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.BERTH)
                .runnableInformer(resyncMs),
            onWatchError);
    nodes = track(client.nodes().runnableInformer(resyncMs), onWatchError);
    podsOnNodes =
        track(
            client
                .pods()
                .inAnyNamespace()
                .withoutField("status.phase", "Succeeded")
                .withoutField("status.phase", "Failed")
                .runnableInformer(0),
            onWatchError);
    podsOnNodes.addIndexers(
        Map.of(
            BY_NODE,
            p ->
                List.of(
                    p.getSpec() == null || p.getSpec().getNodeName() == null
                        ? ""
                        : p.getSpec().getNodeName())));
    kubeEvents =
        track(client.v1().events().inNamespace(namespace).runnableInformer(0), onWatchError);

    pods.addEventHandler(handler(this::podChanged, this::podRemoved));
    statefulSets.addEventHandler(
        new ResourceEventHandler<HasMetadata>() {
          @Override
          public void onAdd(HasMetadata o) {}

          @Override
          public void onUpdate(HasMetadata old, HasMetadata now) {
            hooks.appObjectChanged(now.getMetadata().getName());
          }

          @Override
          public void onDelete(HasMetadata o, boolean unknown) {
            hooks.appObjectChanged(o.getMetadata().getName());
          }
        });
    services.addEventHandler(
        handler(s -> {}, s -> hooks.appObjectChanged(s.getMetadata().getName())));
    jobs.addEventHandler(handler(hooks::jobChanged, hooks::jobRemoved));
    kubeEvents.addEventHandler(handler(this::kubeEvent, e -> {}));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <T extends HasMetadata> SharedIndexInformer<T> track(
      SharedIndexInformer<T> informer, Consumer<String> onWatchError) {
    informer.exceptionHandler(
        (started, t) -> {
          onWatchError.accept(t.getMessage());
          LOG.warn(
              "cluster {}: {} watch failed ({}); the informer retries with back-off",
              cluster,
              informer.getApiTypeClass().getSimpleName(),
              t.toString());
          return true;
        });
    all.add(informer);
    return informer;
  }

  /** Starts every informer without waiting; their first lists arrive in the background. */
  void start() {
    all.forEach(SharedIndexInformer::start);
  }

  /** The pods the informer holds on {@code node}. */
  List<Pod> podsOn(String node) {
    return podsOnNodes.getIndexer().byIndex(BY_NODE, node);
  }

  boolean synced() {
    return all.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  boolean watching() {
    return all.stream().allMatch(SharedIndexInformer::isWatching);
  }

  void listen(ObservationListener l) {
    listeners.add(Objects.requireNonNull(l));
  }

  void emit(Observation o) {
    for (ObservationListener l : listeners) {
      try {
        l.on(o);
      } catch (RuntimeException e) {
        LOG.warn("cluster {}: an observation listener threw {}; ignored", cluster, e.toString());
      }
    }
  }

  void happened(Event e) {
    emit(new Observation.Happened(cluster, e));
  }

  void runChanged(RunStatus s) {
    emit(new Observation.RunChanged(cluster, s));
  }

  List<Instance> instances(String app) {
    return instances.values().stream()
        .filter(i -> i.app().equals(app))
        .sorted(java.util.Comparator.comparingInt(Instance::ordinal))
        .toList();
  }

  private void podChanged(Pod pod) {
    if (PodMapper.run(pod) != null) {
      Job job =
          jobs.getStore().getByKey(pod.getMetadata().getNamespace() + "/" + PodMapper.run(pod));
      if (job != null) {
        runChanged(JobMapper.status(job, runPods(PodMapper.run(pod))));
      }
      return;
    }
    PodMapper.instance(pod, hash -> revisionOf(PodMapper.app(pod), hash))
        .ifPresent(
            now -> {
              Instance before = instances.put(now.id(), now);
              if (!now.equals(before)) {
                transitions(before, now, pod);
                emit(new Observation.InstanceChanged(cluster, now));
              }
              hooks.instancesChanged(now.app());
            });
  }

  private void podRemoved(Pod pod) {
    Instance gone = instances.remove(pod.getMetadata().getName());
    if (gone != null) {
      emit(new Observation.InstanceRemoved(cluster, gone.app(), gone.id()));
      hooks.instancesChanged(gone.app());
    }
  }

  /** The Berth revision of a controller-revision-hash of {@code app}'s StatefulSet, or 0. */
  private long revisionOf(String app, String hash) {
    return StatefulSetStatus.revision(
        statefulSets.getStore().getByKey(namespace + "/" + app), hash);
  }

  /** The cached pods of {@code app}'s instances. */
  List<Pod> appPods(String app) {
    return pods.getStore().list().stream()
        .filter(p -> app.equals(PodMapper.app(p)) && PodMapper.run(p) == null)
        .toList();
  }

  /** The cached status of {@code app}'s StatefulSet, when the informer holds it. */
  java.util.Optional<dev.berth.core.runtime.WorkloadStatus> workloadStatus(String app) {
    HasMetadata sts = statefulSets.getStore().getByKey(namespace + "/" + app);
    return sts == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(StatefulSetStatus.of(app, sts, appPods(app)));
  }

  private void transitions(Instance before, Instance now, Pod pod) {
    String app = now.app();
    if (before != null && now.restarts() > before.restarts()) {
      if (PodMapper.oomKilled(PodMapper.container(pod, Manifests.APP_CONTAINER))) {
        happened(
            Event.warning(
                clock.instant(),
                cluster,
                "instance",
                now.id(),
                app,
                "OOMKilled",
                "killed by the OOM killer: memory limit exceeded; restarted ("
                    + now.restarts()
                    + " restarts)"));
      } else {
        happened(
            Event.warning(
                clock.instant(),
                cluster,
                "instance",
                now.id(),
                app,
                "Restarted",
                (now.lastExit() == null ? "exited" : now.lastExit().message())
                    + "; restarted ("
                    + now.restarts()
                    + " restarts)"));
      }
    }
    boolean evicted =
        "Evicted".equals(pod.getStatus() == null ? null : pod.getStatus().getReason());
    if (evicted && (before == null || before.state() != now.state())) {
      happened(
          Event.warning(
              clock.instant(), cluster, "instance", now.id(), app, "Evicted", now.message()));
    }
    if (now.ready() && (before == null || !before.ready())) {
      happened(
          Event.normal(
              clock.instant(),
              cluster,
              "instance",
              now.id(),
              app,
              "Ready",
              "ready on " + now.node() + " (" + now.ip() + ")"));
    }
  }

  private void kubeEvent(io.fabric8.kubernetes.api.model.Event e) {
    events.map(e, this::ownerOf).ifPresent(this::happened);
  }

  /** Berth's kind, name and app of an involved object, when Berth manages it. */
  private java.util.Optional<EventMapper.Owner> ownerOf(
      String kind, String namespace, String name) {
    String key = namespace + "/" + name;
    return switch (kind) {
      case "Pod" ->
          java.util.Optional.ofNullable(pods.getStore().getByKey(key))
              .map(
                  p ->
                      PodMapper.run(p) != null
                          ? new EventMapper.Owner("run", PodMapper.run(p), null)
                          : new EventMapper.Owner("instance", name, PodMapper.app(p)));
      case "StatefulSet" ->
          java.util.Optional.ofNullable(statefulSets.getStore().getByKey(key))
              .map(s -> new EventMapper.Owner("app", name, name));
      case "Job" ->
          java.util.Optional.ofNullable(jobs.getStore().getByKey(key))
              .map(j -> new EventMapper.Owner("run", name, null));
      default -> java.util.Optional.empty();
    };
  }

  List<Pod> runPods(String runId) {
    return pods.getStore().list().stream().filter(p -> runId.equals(PodMapper.run(p))).toList();
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> changed, Consumer<T> removed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T o) {
        changed.accept(o);
      }

      @Override
      public void onUpdate(T old, T now) {
        changed.accept(now);
      }

      @Override
      public void onDelete(T o, boolean deletedFinalStateUnknown) {
        removed.accept(o);
      }
    };
  }

  @Override
  public void close() {
    all.forEach(SharedIndexInformer::close);
  }

  static boolean isGeneric(HasMetadata o) {
    return o instanceof GenericKubernetesResource;
  }
}
