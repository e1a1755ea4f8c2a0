package dev.berth.core.release;

import dev.berth.core.app.App;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStore;
import dev.berth.core.app.Revision;
import dev.berth.core.app.RolloutDriver;
import dev.berth.core.event.EventSink;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Instance;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.traffic.InstanceTraffic;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Drives an app's instances by its release, inside the app controller's pass ({@link
 * RolloutDriver}): starts a release with the app's default strategy when its revision changed
 * without one (a {@code PUT}, a {@code PATCH}), plans with {@link ReleasePlanner}, stores the
 * release's next state <em>before</em> the workload is applied (so a crash between the two never
 * loses a step), emits an event per transition, and takes instances out of traffic and gives them
 * back through {@link InstanceTraffic}. Everything it needs is in the release store, so a restarted
 * Berth resumes the same batch.
 */
public final class ReleaseController implements RolloutDriver {
  private final ReleaseStore releases;
  private final AppStore apps;
  private final InstanceTraffic traffic;
  private final ReleaseEvents events;
  private final ReleaseStarter starter;
  private final AppLocks locks;

  public ReleaseController(
      ReleaseStore releases,
      AppStore apps,
      InstanceTraffic traffic,
      EventSink events,
      AppLocks locks) {
    this.releases = releases;
    this.apps = apps;
    this.traffic = traffic;
    this.events = new ReleaseEvents(events);
    this.starter = new ReleaseStarter(releases, this.events);
    this.locks = locks;
  }

  @Override
  public Optional<Driven> drive(
      App app,
      List<Instance> observed,
      LongFunction<Optional<AppSpec>> specOfRevision,
      Instant now) {
    return locks.with(app.name(), () -> driveLocked(app, observed, specOfRevision, now));
  }

  @Override
  public Optional<AppWorkload> held(App app, LongFunction<Optional<AppSpec>> specOfRevision) {
    return releases
        .active(app.name())
        .filter(
            r ->
                r.targetRevision() == app.revision()
                    || (r.returning() && r.toRevision() == app.revision()))
        .map(
            r ->
                ReleasePlanner.workload(
                    app,
                    r.fromRevision(),
                    spec(app, r.fromRevision(), specOfRevision),
                    r.toRevision(),
                    spec(app, r.toRevision(), specOfRevision),
                    r.instances().stream()
                        .filter(p -> p.phase().onNewRevision())
                        .map(InstanceProgress::ordinal)
                        .collect(java.util.stream.Collectors.toSet())));
  }

  @Override
  public <T> T exclusive(String app, java.util.function.Supplier<T> pass) {
    return locks.with(app, pass);
  }

  @Override
  public void deleted(String app) {
    locks.with(
        app,
        () -> {
          releases.deleteAll(app);
          return null;
        });
  }

  private Optional<Driven> driveLocked(
      App fromStore,
      List<Instance> observed,
      LongFunction<Optional<AppSpec>> specOfRevision,
      Instant now) {
    // a control may have changed the app (abort points it back) while this pass waited
    App app = apps.find(fromStore.name()).orElse(fromStore);
    long stable = app.status() == null ? 0 : app.status().revision();
    if (stable == 0) {
      return Optional.empty();
    }
    Optional<Release> active = releases.active(app.name());
    Release release;
    if (active.isPresent()
        && (active.get().targetRevision() == app.revision()
            || (active.get().returning() && active.get().toRevision() == app.revision()))) {
      release = active.get();
    } else if (active.isEmpty() && stable == app.revision()) {
      return Optional.empty();
    } else if (active.isEmpty() && finishedAt(app)) {
      return Optional.of(
          new Driven(
              AppWorkload.settled(
                  app.name(), app.instances(), app.reservedOrdinals(), app.revision(), app.spec()),
              app.revision(),
              true));
    } else {
      String by =
          apps.revision(app.name(), app.revision()).map(Revision::createdBy).orElse("system");
      ReleaseStrategy strategy =
          releases.defaultStrategy(app.name()).orElse(ReleaseStrategy.DEFAULT);
      release = starter.start(app, strategy, observed, by, "a change of the spec", now);
    }
    AppSpec from = spec(app, release.fromRevision(), specOfRevision);
    AppSpec to = spec(app, release.toRevision(), specOfRevision);
    ReleasePlanner.Step step = null;
    for (int i = 0; i < 3; i++) {
      step =
          ReleasePlanner.plan(
              new ReleasePlanner.Input(
                  app, release, from, to, observed, drained(app.name(), release), now));
      if (step.release() != release) {
        release = releases.update(step.release());
      }
      for (ReleasePlanner.Transition t : step.transitions()) {
        events.emit(app.cluster(), release, t, now);
      }
      step.restore().forEach(id -> traffic.restore(app.name(), id));
      step.drain().forEach(id -> traffic.drain(app.name(), id));
      if (step.drain().isEmpty()) {
        break;
      }
    }
    if (release.returning() && app.revision() == release.toRevision()) {
      pointBack(app, release.fromRevision(), from, now);
    }
    long settledOn =
        release.state() == ReleaseState.SUCCEEDED ? release.toRevision() : release.fromRevision();
    return Optional.of(new Driven(step.workload(), settledOn, step.settled()));
  }

  /**
   * A failed release returns its instances: the app's desired state points back at the stable
   * revision, as an abort does, so the app's spec says what runs.
   */
  private void pointBack(App app, long revision, AppSpec spec, Instant now) {
    apps.update(
        app.toBuilder().spec(spec).revision(revision).updatedAt(now).build(), app.version(), null);
  }

  /** Whether the app's latest release has already settled on the app's revision. */
  private boolean finishedAt(App app) {
    return releases
        .latest(app.name())
        .filter(r -> !r.active() && r.targetRevision() == app.revision())
        .filter(r -> r.state() != ReleaseState.SUPERSEDED)
        .isPresent();
  }

  private static AppSpec spec(App app, long revision, LongFunction<Optional<AppSpec>> specs) {
    if (revision == app.revision()) {
      return app.spec();
    }
    return specs
        .apply(revision)
        .orElseThrow(() -> new NotFoundException("revision", app.name() + "@" + revision));
  }

  private Set<Integer> drained(String app, Release r) {
    Set<Integer> out = new HashSet<>();
    for (InstanceProgress p : r.instances()) {
      if ((p.phase() == InstancePhase.DRAINING || p.phase() == InstancePhase.RETURNING)
          && traffic.drained(app, p.instance())) {
        out.add(p.ordinal());
      }
    }
    return out;
  }
}
