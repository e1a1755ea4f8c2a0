package dev.berth.core.release;

import dev.berth.core.app.App;
import dev.berth.core.app.AppRequest;
import dev.berth.core.app.AppService;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStore;
import dev.berth.core.app.Revision;
import dev.berth.core.event.EventSink;
import dev.berth.core.runtime.Instance;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import dev.berth.core.support.Requests;
import dev.berth.core.support.TeamImagePolicy;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starting releases and the controls on them, from the REST API and the portal alike: validate
 * first (nothing half-started), change the app's desired state through {@link AppService}, store
 * the release, record an event, and hand the app to its controller. A new release while another is
 * active supersedes it ({@link ReleaseStarter}).
 */
public final class ReleaseService {
  private final AppService appService;
  private final AppStore apps;
  private final ReleaseStore releases;
  private final ReleaseEvents events;
  private final ReleaseStarter starter;
  private final InstantSource clock;
  private final Consumer<String> reconcile;
  private final AppLocks locks;
  private final TeamImagePolicy images;

  /**
   * @param reconcile asks the app controller to look at an application soon
   * @param locks shared with the {@link ReleaseController}
   * @param images which images the app's team may run: a release (a new image, spec, revision or a
   *     pipeline's promotion) to another team's image is refused naming the field
   */
  public ReleaseService(
      AppService appService,
      AppStore apps,
      ReleaseStore releases,
      EventSink events,
      InstantSource clock,
      Consumer<String> reconcile,
      AppLocks locks,
      TeamImagePolicy images) {
    this.images = images;
    this.appService = appService;
    this.apps = apps;
    this.releases = releases;
    this.events = new ReleaseEvents(events);
    this.starter = new ReleaseStarter(releases, this.events);
    this.clock = clock;
    this.reconcile = reconcile;
    this.locks = locks;
  }

  public Page<Release> list(String app, int page, int size) {
    appService.get(app);
    Requests.checkPaging(page, size);
    return releases.list(app, page, size);
  }

  public Release get(String app, long id) {
    appService.get(app);
    return releases
        .find(app, id)
        .orElseThrow(() -> new NotFoundException("release", app + "." + id));
  }

  public ReleaseStrategy defaultStrategy(String app) {
    appService.get(app);
    return releases.defaultStrategy(app).orElse(ReleaseStrategy.DEFAULT);
  }

  /** Sets the strategy every later spec change of the app is released with. */
  public ReleaseStrategy setDefaultStrategy(String app, ReleaseStrategy strategy) {
    App a = appService.get(app);
    ReleaseStrategy s = strategy == null ? ReleaseStrategy.DEFAULT : strategy;
    Errors errors = new Errors();
    s.check(a.instances(), "", errors);
    errors.throwIfAny();
    releases.setDefaultStrategy(app, s);
    return s;
  }

  /** Starts a release of {@code request} for {@code app}; see {@link ReleaseRequest}. */
  public Release start(String app, ReleaseRequest request, String actor) {
    return locks.with(app, () -> startLocked(app, request, actor, null));
  }

  /**
   * A new release to revision {@code revision}'s spec (a new revision with that spec), through the
   * batch plan of {@code strategy} (null: the app's default).
   */
  public Release rollback(String app, long revision, ReleaseStrategy strategy, String actor) {
    return locks.with(
        app,
        () ->
            startLocked(
                app,
                ReleaseRequest.ofRevision(revision, strategy),
                actor,
                "rollback to revision " + revision));
  }

  private Release startLocked(String name, ReleaseRequest request, String actor, String note) {
    App app = appService.get(name);
    List<Instance> observed = appService.instances(name);
    ReleaseStrategy strategy =
        request.strategy() != null
            ? request.strategy()
            : releases.defaultStrategy(name).orElse(ReleaseStrategy.DEFAULT);
    Errors errors = new Errors();
    strategy.check(app.instances(), "strategy.", errors);
    List<String> unmatched = ReleaseOrder.unmatched(strategy.first(), observed);
    if (!unmatched.isEmpty()) {
      errors.add(
          "strategy.first",
          "names no instance, IP or node of "
              + name
              + ": "
              + String.join(", ", unmatched)
              + "; known instances: "
              + String.join(", ", observed.stream().map(Instance::id).toList()));
    }
    AppSpec spec = targetSpec(app, request, errors);
    images.check(
        spec.image(),
        app.spec().image(),
        app.team(),
        request.revision() != null ? "revision" : request.spec() != null ? "spec.image" : "image",
        errors);
    errors.throwIfAny();
    if (releases.active(name).isEmpty() && (app.status() == null || app.status().revision() == 0)) {
      throw new ConflictException(
          "app '"
              + name
              + "' has not reached its first revision yet (its instances are still starting);"
              + " release once it runs, or change it with PUT, which replaces what is starting");
    }
    if (spec.equals(app.spec())) {
      throw new ConflictException(
          "app '"
              + name
              + "' is at revision "
              + app.revision()
              + " with this spec already; change the image or spec, or name another revision");
    }
    App updated =
        appService.update(name, new AppRequest(name, null, null, spec, null, null), actor);
    Instant now = clock.instant();
    Release created = starter.start(updated, strategy, observed, actor, note, now);
    reconcile.accept(name);
    return created;
  }

  private AppSpec targetSpec(App app, ReleaseRequest request, Errors errors) {
    int given =
        (request.revision() != null ? 1 : 0)
            + (request.spec() != null ? 1 : 0)
            + (request.image() != null ? 1 : 0);
    if (given != 1) {
      errors.add(
          "revision",
          "name exactly one of revision (a number), image or spec to release; got " + given);
      return app.spec();
    }
    if (request.revision() != null) {
      List<Revision> all = apps.revisions(app.name());
      return all.stream()
          .filter(r -> r.number() == request.revision())
          .findFirst()
          .map(Revision::spec)
          .orElseGet(
              () -> {
                errors.add(
                    "revision",
                    "app '"
                        + app.name()
                        + "' has no revision "
                        + request.revision()
                        + "; it has revisions 1 to "
                        + all.stream().mapToLong(Revision::number).max().orElse(1));
                return app.spec();
              });
    }
    if (request.image() != null) {
      if (request.image().isBlank()) {
        errors.add("image", "must name an image, such as registry.example.com/shop/web:2");
        return app.spec();
      }
      return app.spec().withImage(request.image());
    }
    return request.spec();
  }

  /** Goes on with the next batch of a release that awaits promotion. */
  public Release promote(String app, long id, String actor) {
    return control(
        app,
        id,
        r -> {
          if (!r.awaitingPromotion()) {
            throw new ConflictException(
                "release "
                    + id
                    + " is "
                    + r.state()
                    + (r.state() == ReleaseState.PAUSED ? " (" + r.reason() + ")" : "")
                    + ", not paused awaiting promotion; only a release whose batch is done can be"
                    + " promoted"
                    + (r.state() == ReleaseState.PAUSED ? " (resume it to retry the batch)" : ""));
          }
          Instant now = clock.instant();
          List<BatchProgress> batches = new java.util.ArrayList<>(r.batches());
          if (r.batch() < batches.size()) {
            batches.set(r.batch(), batches.get(r.batch()).finished(now));
          }
          Release next =
              r.withProgress(r.batch() + 1, batches, r.instances(), now)
                  .withState(
                      ReleaseState.PROGRESSING,
                      "Promoted",
                      "promoted by " + actor + " to batch " + (r.batch() + 1),
                      now);
          return new Controlled(next, "ReleasePromoted", next.message());
        });
  }

  /** Holds a progressing release; instances being replaced finish, no new ones are taken. */
  public Release pause(String app, long id, String actor) {
    return control(
        app,
        id,
        r -> {
          if (r.state() != ReleaseState.PROGRESSING) {
            throw new ConflictException(
                "release "
                    + id
                    + " is "
                    + r.state()
                    + "; only a progressing release can be paused");
          }
          Release next =
              r.withState(
                  ReleaseState.PAUSED, "PausedByHand", "paused by " + actor, clock.instant());
          return new Controlled(next, "ReleasePaused", next.message());
        });
  }

  /** Goes on with the current batch of a paused release (its deadline starts again). */
  public Release resume(String app, long id, String actor) {
    return control(
        app,
        id,
        r -> {
          if (r.state() != ReleaseState.PAUSED || r.awaitingPromotion()) {
            throw new ConflictException(
                "release "
                    + id
                    + " is "
                    + r.state()
                    + (r.awaitingPromotion() ? " awaiting promotion; promote it to go on" : "")
                    + "; only a paused release can be resumed");
          }
          Instant now = clock.instant();
          List<BatchProgress> batches = new java.util.ArrayList<>(r.batches());
          if (r.batch() < batches.size()) {
            BatchProgress b = batches.get(r.batch());
            batches.set(r.batch(), new BatchProgress(b.index(), b.target(), now, null, null));
          }
          Release next =
              r.withProgress(r.batch(), batches, r.instances(), now)
                  .withState(ReleaseState.PROGRESSING, "Resumed", "resumed by " + actor, now);
          return new Controlled(next, "ReleaseResumed", next.message());
        });
  }

  /**
   * Stops a release and returns every instance it updated to the from-revision; the app's desired
   * state points back at that revision. The release settles in {@code aborted} once they run it.
   */
  public Release abort(String app, long id, String actor) {
    return control(
        app,
        id,
        r -> {
          if (!r.active() || r.returning()) {
            throw new ConflictException(
                "release "
                    + id
                    + " is "
                    + r.state()
                    + (r.state() == ReleaseState.SUCCEEDED
                        ? "; roll back to an earlier revision instead"
                        : "; only a progressing or paused release can be aborted"));
          }
          App a = appService.get(app);
          AppSpec from =
              apps.revision(app, r.fromRevision())
                  .map(Revision::spec)
                  .orElseThrow(
                      () -> new NotFoundException("revision", app + "@" + r.fromRevision()));
          Instant now = clock.instant();
          apps.update(
              a.toBuilder().spec(from).revision(r.fromRevision()).updatedAt(now).build(),
              a.version(),
              null);
          long moved = r.instances().stream().filter(p -> p.phase().onNewRevision()).count();
          Release next =
              r.withState(
                  ReleaseState.ABORTED,
                  "Aborted",
                  "aborted by "
                      + actor
                      + "; "
                      + moved
                      + " instance(s) return to revision "
                      + r.fromRevision()
                      + ", the stable revision",
                  now);
          return new Controlled(next, "ReleaseAborted", next.message());
        });
  }

  private record Controlled(Release release, String reason, String message) {}

  private Release control(
      String app, long id, java.util.function.Function<Release, Controlled> change) {
    return locks.with(
        app,
        () -> {
          App a = appService.get(app);
          Release current = get(app, id);
          Controlled c = change.apply(current);
          Release saved = releases.update(c.release());
          events.normal(a.cluster(), saved, c.reason(), c.message(), clock.instant());
          reconcile.accept(app);
          return saved;
        });
  }
}
