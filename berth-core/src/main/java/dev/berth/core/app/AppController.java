package dev.berth.core.app;

import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.control.Result;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.Instance;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Reconciles one application: applies the workload {@link Rollout} plans to the cluster's runtime
 * and records the status it observes. Safe to run again at any point; everything it needs comes
 * from the store and the runtime.
 */
public final class AppController {
  static final Duration WHILE_CHANGING = Duration.ofSeconds(2);
  static final Duration RESYNC = Duration.ofMinutes(5);

  private final AppStore apps;
  private final ClusterRegistry clusters;
  private final EventSink events;
  private final InstantSource clock;
  private final RolloutDriver releases;

  public AppController(
      AppStore apps, ClusterRegistry clusters, EventSink events, InstantSource clock) {
    this(apps, clusters, events, clock, RolloutDriver.NONE);
  }

  /**
   * @param releases asked first on every pass; an app it drives follows its release's batches, any
   *     other app rolls out one instance at a time ({@link Rollout})
   */
  public AppController(
      AppStore apps,
      ClusterRegistry clusters,
      EventSink events,
      InstantSource clock,
      RolloutDriver releases) {
    this.apps = apps;
    this.clusters = clusters;
    this.events = events;
    this.clock = clock;
    this.releases = releases;
  }

  public Result reconcile(String name) {
    return releases.exclusive(name, () -> pass(name));
  }

  private Result pass(String name) {
    Optional<App> found = apps.find(name);
    if (found.isEmpty()) {
      return Result.DONE;
    }
    App app = found.get();
    Optional<ClusterRuntime> maybeRuntime = clusters.runtime(app.cluster());
    if (maybeRuntime.isEmpty()) {
      return Result.failed("cluster '" + app.cluster() + "' is not available");
    }
    ClusterRuntime runtime = maybeRuntime.get();
    if (app.deleting()) {
      return finishDelete(app, runtime);
    }
    Instant now = clock.instant();
    List<Instance> observed = runtime.instances(name);
    LongFunction<Optional<AppSpec>> specs =
        revision -> apps.revision(app.name(), revision).map(Revision::spec);
    Rollout.Plan plan =
        releases
            .drive(app, observed, specs, now)
            .map(d -> Rollout.driven(app, d, observed, now))
            .orElseGet(() -> DesiredState.plan(app, specs, observed, now));
    runtime.applyApp(plan.workload());
    AppStatus status = plan.status().since(app.status(), now);
    if (!status.equals(app.status())) {
      apps.updateStatus(name, status);
    }
    if (plan.transition() != null) {
      emitTransition(app, plan);
    }
    StatusEvents.between(app.status(), status)
        .ifPresent(
            e ->
                events.emit(
                    new Event(
                        0,
                        now,
                        app.cluster(),
                        "app",
                        app.name(),
                        app.name(),
                        e.type(),
                        e.reason(),
                        e.message())));
    return plan.settled() ? Result.requeueAfter(RESYNC) : Result.requeueAfter(WHILE_CHANGING);
  }

  private Result finishDelete(App app, ClusterRuntime runtime) {
    runtime.deleteApp(app.name());
    if (!runtime.instances(app.name()).isEmpty()) {
      return Result.requeueAfter(WHILE_CHANGING);
    }
    apps.delete(app.name());
    releases.deleted(app.name());
    events.emit(
        Event.normal(
            clock.instant(),
            app.cluster(),
            "app",
            app.name(),
            app.name(),
            "Deleted",
            "application and all its instances removed"));
    return Result.DONE;
  }

  private void emitTransition(App app, Rollout.Plan plan) {
    String message =
        switch (plan.transition()) {
          case "RolloutStarted" ->
              "rolling out revision "
                  + app.revision()
                  + " over revision "
                  + app.status().revision()
                  + ", one instance at a time";
          case "RolloutComplete" -> "every instance runs revision " + app.revision();
          default -> plan.transition();
        };
    events.emit(
        Event.normal(
            clock.instant(),
            app.cluster(),
            "app",
            app.name(),
            app.name(),
            plan.transition(),
            message));
  }
}
