package dev.berth.core.release;

import dev.berth.core.app.App;
import dev.berth.core.app.AppRequest;
import dev.berth.core.app.AppService;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStatus;
import dev.berth.core.app.AppStore;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Revision;
import dev.berth.core.app.SpecDiff;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.ResizeResult;
import dev.berth.core.support.ConflictException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Consumer;

/**
 * Changes CPU and memory of a running app without restarting its instances where the runtime can
 * ({@link ClusterRuntime#resizeInPlace}). The change is a new revision like any spec change, so
 * later releases and rollbacks carry the right resources; the instances are told first, then the
 * app and its status are stored on the new revision together, all under the app's lock, so the app
 * controller's next pass finds instances and desired state agreeing and replaces nothing. Where the
 * runtime cannot, the revision is stored as an ordinary change and released as usual, and the event
 * says why.
 */
public final class LiveResize {
  /** What happened: {@code live} when no instance was restarted; {@code message} says it. */
  public record Outcome(App app, long revision, boolean live, String message) {}

  /** The collaborators; {@code reconcile} asks the app controller to look at an app soon. */
  public record Parts(
      AppStore apps,
      AppService service,
      ReleaseStore releases,
      ClusterRegistry clusters,
      AppLocks locks,
      EventSink events,
      InstantSource clock,
      Consumer<String> reconcile) {}

  private final Parts p;

  public LiveResize(Parts parts) {
    this.p = parts;
  }

  public Outcome resize(String name, ResizeRequest request, String actor) {
    App found = p.service().get(name);
    ClusterRuntime runtime = p.clusters().require(found.cluster());
    Resources next = ResizeRules.resources(found.spec().resources(), request);
    ResizeRules.checkFits(next, runtime.instances(name), runtime.nodes()).throwIfAny();
    return p.locks().with(name, () -> resizeLocked(name, request, next, runtime, actor));
  }

  private Outcome resizeLocked(
      String name,
      ResizeRequest request,
      Resources resources,
      ClusterRuntime runtime,
      String actor) {
    App app = p.service().get(name);
    if (request.version() != null && request.version() != app.version()) {
      throw new ConflictException(
          "app '"
              + name
              + "' was changed by someone else (version "
              + app.version()
              + ", yours "
              + request.version()
              + "); reload and retry");
    }
    if (resources.equals(app.spec().resources())) {
      return new Outcome(
          app, app.revision(), false, "nothing to change: the app has these resources");
    }
    checkSettled(app);
    AppSpec spec = app.spec().withResources(resources);
    long revision = nextRevision(app);
    String diff = SpecDiff.describe(app.spec(), spec);
    ResizeResult result = runtime.resizeInPlace(name, revision, spec);
    if (!result.inPlace()) {
      App saved =
          p.service().update(name, new AppRequest(null, null, null, spec, null, null), actor);
      String message =
          "revision "
              + saved.revision()
              + " is rolled out as a release (instances are replaced): "
              + result.reason();
      emit(saved, "ResizeByRelease", message);
      return new Outcome(saved, saved.revision(), false, message);
    }
    Instant now = p.clock().instant();
    App next = app.toBuilder().spec(spec).revision(revision).updatedAt(now).build();
    App saved =
        p.apps()
            .update(
                next,
                app.version(),
                new Revision(
                    name,
                    revision,
                    spec,
                    actor,
                    now,
                    Revision.RESIZED_LIVE
                        + ResizeRules.describe(app.spec().resources(), resources)));
    AppStatus s = app.status();
    p.apps()
        .updateStatus(
            name,
            new AppStatus(
                s.phase(),
                s.ready(),
                s.desired(),
                revision,
                revision,
                0,
                s.message(),
                s.reason(),
                s.since()));
    String message =
        "revision " + revision + " resized live by " + actor + ", no instance restarted: " + diff;
    emit(saved, "ResizedLive", message);
    p.reconcile().accept(name);
    return new Outcome(p.service().get(name), revision, true, message);
  }

  /** A resize applies to instances that all run the app's revision: refused during a release. */
  private void checkSettled(App app) {
    if (app.deleting()) {
      throw new ConflictException("app '" + app.name() + "' is being deleted");
    }
    boolean releasing = p.releases().active(app.name()).isPresent();
    if (releasing || app.status() == null || app.status().revision() != app.revision()) {
      throw new ConflictException(
          "app '"
              + app.name()
              + "' is still moving to revision "
              + app.revision()
              + "; resize once its release has finished (or abort it), or change the spec with PUT");
    }
  }

  private long nextRevision(App app) {
    return p.apps().revisions(app.name()).stream()
            .mapToLong(Revision::number)
            .max()
            .orElse(app.revision())
        + 1;
  }

  private void emit(App app, String reason, String message) {
    p.events()
        .emit(
            Event.normal(
                p.clock().instant(),
                app.cluster(),
                "app",
                app.name(),
                app.name(),
                reason,
                message));
  }
}
