package dev.berth.core.app;

import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.runtime.LogStreams;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import dev.berth.core.support.Requests;
import dev.berth.core.support.ValidationException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Every change to applications goes through here, from the REST API, the portal and the CLI alike:
 * validate everything first (nothing half-created), store the desired state, record an event, and
 * hand the application to its controller.
 */
public final class AppService {
  private final AppStore apps;
  private final ClusterRegistry clusters;
  private final EventSink events;
  private final InstantSource clock;
  private final Consumer<String> reconcile;
  private final java.util.function.Predicate<String> takenByTask;

  /**
   * @param reconcile asks the controller to look at an application soon
   * @param takenByTask whether a task has the name: apps and tasks share one name space, because
   *     instance ids ({@code <app>-<n>}) and run ids ({@code <task>-<n>}) must never collide
   */
  public AppService(
      AppStore apps,
      ClusterRegistry clusters,
      EventSink events,
      InstantSource clock,
      Consumer<String> reconcile,
      java.util.function.Predicate<String> takenByTask) {
    this.apps = apps;
    this.clusters = clusters;
    this.events = events;
    this.clock = clock;
    this.reconcile = reconcile;
    this.takenByTask = takenByTask;
  }

  public App get(String name) {
    return apps.find(name).orElseThrow(() -> new NotFoundException("app", name));
  }

  public Page<App> list(String query, int page, int size) {
    return list(query, null, page, size);
  }

  /**
   * Like {@link #list(String, int, int)}, limited to apps of {@code teams} ({@code null}: every
   * team).
   */
  public Page<App> list(String query, Set<String> teams, int page, int size) {
    Requests.checkPaging(page, size);
    return apps.list(query == null ? "" : query.strip(), teams, page, size);
  }

  public App create(AppRequest request, String actor) {
    checkNew(request).throwIfAny();
    if (apps.find(request.name()).isPresent()) {
      throw new ConflictException(
          "app '"
              + request.name()
              + "' already exists; change it with PUT /api/v1/apps/"
              + request.name());
    }
    if (takenByTask.test(request.name())) {
      throw new ConflictException(
          "a task is named '"
              + request.name()
              + "'; apps and tasks share one name space, choose another name");
    }
    String cluster =
        request.cluster() == null || request.cluster().isBlank() ? "local" : request.cluster();
    int instances = request.instances() == null ? 1 : request.instances();
    checkSpread(clusters.require(cluster), request.spec(), instances);
    Requests.checkImage(clusters.require(cluster), request.spec().image());
    Instant now = clock.instant();
    App app =
        App.builder()
            .name(request.name())
            .team(request.team() == null || request.team().isBlank() ? "default" : request.team())
            .owner(actor)
            .cluster(cluster)
            .spec(request.spec())
            .instances(instances)
            .status(AppStatus.initial(instances))
            .createdAt(now)
            .updatedAt(now)
            .build();
    App created = apps.create(app, new Revision(app.name(), 1, app.spec(), actor, now));
    emit(
        created,
        "Created",
        "created by " + actor + " with " + instances + " instance(s) of " + app.spec().image());
    reconcile.accept(created.name());
    return created;
  }

  /**
   * What is wrong with {@code request} as a new app, checked as {@link #create} checks it before it
   * looks at existing names or the image; empty when nothing is. Changes nothing.
   */
  public List<ValidationException.FieldError> problemsOfNew(AppRequest request) {
    return checkNew(request).list();
  }

  private Errors checkNew(AppRequest request) {
    Errors errors = new Errors();
    AppValidator.validateName(request.name(), errors);
    if (request.team() != null && !request.team().isEmpty()) {
      errors.dnsLabel(request.team(), "team", 63);
    }
    String cluster =
        request.cluster() == null || request.cluster().isBlank() ? "local" : request.cluster();
    if (clusters.runtime(cluster).isEmpty()) {
      errors.add("cluster", "unknown cluster '" + cluster + "'; known: " + clusterNames());
    }
    if (request.spec() == null) {
      errors.add("image", "is required");
    } else {
      AppValidator.validateSpec(request.spec(), errors);
    }
    AppValidator.validateInstances(request.instances(), errors);
    return errors;
  }

  /**
   * What is wrong with {@code request} as a change of app {@code name}, checked as {@link #update}
   * checks it before it looks at the version or the image; empty when nothing is. Changes nothing.
   */
  public List<ValidationException.FieldError> problemsOfUpdate(String name, AppRequest request) {
    return checkUpdate(get(name), request).list();
  }

  private static Errors checkUpdate(App app, AppRequest request) {
    Errors errors = new Errors();
    if (request.name() != null && !request.name().equals(app.name())) {
      errors.add(
          "name", "cannot be changed (was '" + app.name() + "'); create a new application instead");
    }
    if (request.cluster() != null
        && !request.cluster().isBlank()
        && !request.cluster().equals(app.cluster())) {
      errors.add("cluster", "cannot be changed (is '" + app.cluster() + "')");
    }
    if (request.spec() == null) {
      errors.add("image", "is required");
    } else {
      AppValidator.validateSpec(request.spec(), errors);
    }
    AppValidator.validateInstances(request.instances(), errors);
    return errors;
  }

  /** Replaces the spec (a new revision when it differs) and, when given, the instance count. */
  public App update(String name, AppRequest request, String actor) {
    App app = get(name);
    checkUpdate(app, request).throwIfAny();
    checkVersion(app, request.version());
    boolean specChanged = !request.spec().equals(app.spec());
    if (specChanged && !request.spec().image().equals(app.spec().image())) {
      Requests.checkImage(clusters.require(app.cluster()), request.spec().image());
    }
    int instances = request.instances() == null ? app.instances() : request.instances();
    checkSpread(clusters.require(app.cluster()), request.spec(), instances);
    if (!specChanged && instances == app.instances()) {
      return app;
    }
    Instant now = clock.instant();
    long revision = specChanged ? nextRevision(app) : app.revision();
    App next =
        app.toBuilder()
            .spec(request.spec())
            .revision(revision)
            .instances(instances)
            .deleting(false)
            .updatedAt(now)
            .build();
    App saved =
        apps.update(
            next,
            app.version(),
            specChanged ? new Revision(name, revision, request.spec(), actor, now) : null);
    if (specChanged) {
      emit(
          saved,
          "Updated",
          "revision "
              + revision
              + " by "
              + actor
              + ": "
              + SpecDiff.describe(app.spec(), request.spec()));
    }
    if (instances != app.instances()) {
      emit(
          saved,
          "Scaled",
          "from " + app.instances() + " to " + instances + " instance(s) by " + actor);
    }
    reconcile.accept(name);
    return saved;
  }

  /**
   * The number of a new revision: one past the highest stored, which is above the app's own when an
   * aborted release pointed the app back at its stable revision.
   */
  private long nextRevision(App app) {
    return apps.revisions(app.name()).stream()
            .mapToLong(Revision::number)
            .max()
            .orElse(app.revision())
        + 1;
  }

  public App scale(String name, Scale scale, Long version, String actor) {
    int instances = scale.instances();
    App app = get(name);
    checkVersion(app, version);
    if (instances == app.instances()) {
      return app;
    }
    checkSpread(clusters.require(app.cluster()), app.spec(), instances);
    App next = withInstances(app, instances, app.reservedOrdinals());
    App saved = apps.update(next, app.version(), null);
    emit(
        saved,
        "Scaled",
        "from " + app.instances() + " to " + instances + " instance(s) by " + actor);
    reconcile.accept(name);
    return saved;
  }

  /** Marks the application for deletion; its controller removes the instances, then the record. */
  public App delete(String name, String actor) {
    App app = get(name);
    if (app.deleting()) {
      return app;
    }
    App next = app.toBuilder().deleting(true).updatedAt(clock.instant()).build();
    App saved = apps.update(next, app.version(), null);
    emit(saved, "Deleting", "deletion requested by " + actor);
    reconcile.accept(name);
    return saved;
  }

  public List<Revision> revisions(String name) {
    get(name);
    return apps.revisions(name);
  }

  public List<Instance> instances(String name) {
    App app = get(name);
    return clusters.require(app.cluster()).instances(name);
  }

  /**
   * What the cluster's own workload controller last reported about the app (a StatefulSet's status
   * on Kubernetes); empty on the local runtime. Reads a cache.
   */
  public java.util.Optional<dev.berth.core.runtime.WorkloadStatus> workloadStatus(String name) {
    App app = get(name);
    return clusters.require(app.cluster()).workloadStatus(name);
  }

  /**
   * Deletes one chosen instance. With {@code replace} a fresh one takes its place with the same
   * identity; without, the application shrinks by one and that ordinal stays free.
   *
   * @return a sentence saying what happened, for the API answer
   */
  public String deleteInstance(String name, String instanceId, boolean replace, String actor) {
    App app = get(name);
    int ordinal = ordinalOf(app, instanceId);
    ClusterRuntime runtime = clusters.require(app.cluster());
    String note = runtime.deleteInstanceNote(name, ordinal, replace).map(n -> "; " + n).orElse("");
    if (replace) {
      runtime.deleteInstance(name, ordinal, true);
      emitInstance(
          app,
          instanceId,
          "Deleted",
          "deleted by " + actor + "; replaced by a fresh instance with the same identity");
      reconcile.accept(name);
      return "instance "
          + instanceId
          + " deleted and replaced by a fresh one with the same name"
          + note;
    }
    Set<Integer> reserved = new TreeSet<>(app.reservedOrdinals());
    reserved.add(ordinal);
    App next = withInstances(app, Math.max(0, app.instances() - 1), reserved);
    apps.update(next, app.version(), null);
    runtime.deleteInstance(name, ordinal, false);
    emitInstance(
        app,
        instanceId,
        "Deleted",
        "deleted by "
            + actor
            + " without replacement; the app now has "
            + next.instances()
            + " instance(s)");
    reconcile.accept(name);
    return "instance "
        + instanceId
        + " deleted; "
        + name
        + " now has "
        + next.instances()
        + " instance(s) and ordinal "
        + ordinal
        + " stays free"
        + note;
  }

  public void restartInstance(String name, String instanceId, String actor) {
    App app = get(name);
    int ordinal = ordinalOf(app, instanceId);
    clusters.require(app.cluster()).restartInstance(name, ordinal);
    emitInstance(app, instanceId, "RestartRequested", "restart requested by " + actor);
  }

  public LogStream logs(String name, String instanceId, LogQuery query) {
    App app = get(name);
    if (InstanceIds.ordinal(name, instanceId).isEmpty()) {
      throw new NotFoundException("instance", instanceId);
    }
    return clusters.require(app.cluster()).logs(instanceId, query);
  }

  /**
   * The logs of every instance of {@code name} merged by time, each line marked with its instance
   * ({@link LogStreams#merge}); following covers the instances there when it starts. An instance
   * whose log is not there (yet) is left out.
   */
  public LogStream appLogs(String name, LogQuery query) {
    App app = get(name);
    ClusterRuntime runtime = clusters.require(app.cluster());
    Map<String, LogStream> byInstance = new LinkedHashMap<>();
    try {
      for (Instance i : runtime.instances(name)) {
        try {
          byInstance.put(i.id(), runtime.logs(i.id(), query));
        } catch (NotFoundException noLogYet) {
          // an instance that has not written anything yet
        }
      }
    } catch (RuntimeException e) {
      byInstance.values().forEach(LogStream::close);
      throw e;
    }
    return LogStreams.merge(byInstance, query.tail(), query.follow());
  }

  private int ordinalOf(App app, String instanceId) {
    int ordinal =
        InstanceIds.ordinal(app.name(), instanceId)
            .orElseThrow(() -> new NotFoundException("instance", instanceId));
    boolean exists =
        clusters.require(app.cluster()).instances(app.name()).stream()
            .anyMatch(i -> i.ordinal() == ordinal);
    if (!exists) {
      throw new NotFoundException("instance", instanceId);
    }
    return ordinal;
  }

  private App withInstances(App app, int instances, Set<Integer> reserved) {
    // Reserved ordinals only matter below the highest ordinal in use; forget the rest.
    Set<Integer> kept = new TreeSet<>(reserved);
    return app.toBuilder()
        .instances(instances)
        .reservedOrdinals(kept)
        .updatedAt(clock.instant())
        .build();
  }

  /**
   * Strict spread puts each instance on its own host: refuse more instances than the cluster has
   * hosts.
   */
  private static void checkSpread(ClusterRuntime runtime, AppSpec spec, int instances) {
    if (spec.scheduling().spread() != Scheduling.Spread.STRICT) {
      return;
    }
    long hosts = runtime.nodes().stream().filter(n -> n.schedulable()).count();
    if (instances > hosts) {
      throw ValidationException.of(
          "scheduling.spread",
          "'strict' needs one schedulable host per instance: "
              + instances
              + " instances, cluster '"
              + runtime.cluster()
              + "' has "
              + hosts
              + "; use 'preferred' or fewer instances");
    }
  }

  private static void checkVersion(App app, Long version) {
    if (version != null && version != app.version()) {
      throw new ConflictException(
          "app '"
              + app.name()
              + "' was changed by someone else (version "
              + app.version()
              + ", yours "
              + version
              + "); reload and retry");
    }
  }

  private String clusterNames() {
    return String.join(", ", clusters.clusters().stream().map(c -> c.name()).toList());
  }

  private void emit(App app, String reason, String message) {
    events.emit(
        Event.normal(
            clock.instant(), app.cluster(), "app", app.name(), app.name(), reason, message));
  }

  private void emitInstance(App app, String id, String reason, String message) {
    events.emit(
        Event.normal(clock.instant(), app.cluster(), "instance", id, app.name(), reason, message));
  }
}
