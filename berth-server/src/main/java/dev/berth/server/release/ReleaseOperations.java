package dev.berth.server.release;

import static dev.berth.server.access.Permission.APP_READ;
import static dev.berth.server.access.Permission.APP_RELEASE;
import static dev.berth.server.access.Permission.APP_ROLLBACK;
import static dev.berth.server.access.Permission.APP_UPDATE_SPEC;
import static dev.berth.server.access.Permission.RELEASE_ABORT;
import static dev.berth.server.access.Permission.RELEASE_PAUSE;
import static dev.berth.server.access.Permission.RELEASE_PROMOTE;

import dev.berth.core.app.App;
import dev.berth.core.release.Release;
import dev.berth.core.release.ReleaseRequest;
import dev.berth.core.release.ReleaseService;
import dev.berth.core.release.ReleaseStrategy;
import dev.berth.core.runtime.Instance;
import dev.berth.core.support.Page;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.access.Permission;
import dev.berth.server.app.AppOperations;
import dev.berth.server.audit.AuditLog;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Every release operation a person asks for, from the REST API and the portal alike: checks the
 * caller's permission in the app's team, calls {@link ReleaseService}, and audits each start and
 * control ({@code app.release}/{@code app.update-spec}/{@code app.rollback}, {@code
 * release.promote}, {@code release.pause} (pause and resume), {@code release.abort}).
 */
@Service
public class ReleaseOperations {
  private final ReleaseService releases;
  private final AppOperations apps;
  private final Access access;
  private final AuditLog audit;

  public ReleaseOperations(
      ReleaseService releases, AppOperations apps, Access access, AuditLog audit) {
    this.releases = releases;
    this.apps = apps;
    this.access = access;
    this.audit = audit;
  }

  public Page<Release> list(String app, int page, int size) {
    apps.get(app);
    return releases.list(app, page, size);
  }

  public Release get(String app, long id) {
    apps.get(app);
    return releases.get(app, id);
  }

  /** The app's instances as observed now, for a release's per-instance view. */
  public List<Instance> instances(String app) {
    return apps.instances(app);
  }

  /** The cluster's own report on the app's workload (Kubernetes), for a release's view. */
  public java.util.Optional<dev.berth.core.runtime.WorkloadStatus> workloadStatus(String app) {
    return apps.workloadStatus(app);
  }

  public ReleaseStrategy defaultStrategy(String app) {
    apps.get(app);
    return releases.defaultStrategy(app);
  }

  public ReleaseStrategy setDefaultStrategy(String app, ReleaseStrategy strategy) {
    App current = apps.get(app);
    return audit.change(
        "app.update-spec",
        "app",
        app,
        c -> {
          c.team(current.team()).after(strategy).detail("default release strategy");
          access.requireOn(APP_READ, APP_UPDATE_SPEC, "app", app, current.team());
          return releases.setDefaultStrategy(app, strategy);
        });
  }

  /**
   * Starts a release: a new image alone needs {@code app.release}, an earlier revision {@code
   * app.rollback}, any other spec {@code app.update-spec}.
   */
  public Release start(String app, ReleaseRequest request) {
    App current = apps.get(app);
    Permission needed =
        request.revision() != null
            ? APP_ROLLBACK
            : request.spec() != null
                    && !request.spec().equals(current.spec().withImage(request.spec().image()))
                ? APP_UPDATE_SPEC
                : APP_RELEASE;
    return audit.change(
        needed.id(),
        "app",
        app,
        c -> {
          c.team(current.team()).before(current.spec());
          Caller caller = access.requireOn(APP_READ, needed, "app", app, current.team());
          Release r = releases.start(app, request, caller.name());
          c.after(r.strategy()).detail(started(r));
          return r;
        });
  }

  /** A new release to an earlier revision's spec ({@code app.rollback}). */
  public Release rollback(String app, long revision, ReleaseStrategy strategy) {
    App current = apps.get(app);
    return audit.change(
        APP_ROLLBACK.id(),
        "app",
        app,
        c -> {
          c.team(current.team()).before(current.spec());
          Caller caller = access.requireOn(APP_READ, APP_ROLLBACK, "app", app, current.team());
          Release r = releases.rollback(app, revision, strategy, caller.name());
          c.after(r.strategy()).detail("rollback to revision " + revision + "; " + started(r));
          return r;
        });
  }

  public Release promote(String app, long id) {
    return control(app, id, RELEASE_PROMOTE, "release.promote", releases::promote);
  }

  public Release pause(String app, long id) {
    return control(app, id, RELEASE_PAUSE, "release.pause", releases::pause);
  }

  public Release resume(String app, long id) {
    return control(app, id, RELEASE_PAUSE, "release.resume", releases::resume);
  }

  public Release abort(String app, long id) {
    return control(app, id, RELEASE_ABORT, "release.abort", releases::abort);
  }

  /** Whether the caller holds {@code permission} on the app (for showing or hiding controls). */
  public boolean can(Permission permission, App app) {
    return access.caller().can(permission, app.team());
  }

  private interface Control {
    Release apply(String app, long id, String actor);
  }

  private Release control(String app, long id, Permission needed, String action, Control work) {
    App current = apps.get(app);
    return audit.change(
        action,
        "release",
        app + "." + id,
        c -> {
          c.team(current.team());
          Caller caller = access.requireOn(APP_READ, needed, "app", app, current.team());
          Release r = work.apply(app, id, caller.name());
          c.detail(r.state() + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")"));
          return r;
        });
  }

  private static String started(Release r) {
    return "release " + r.id() + " of revision " + r.toRevision() + " over " + r.fromRevision();
  }
}
