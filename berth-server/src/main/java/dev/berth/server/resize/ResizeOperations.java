package dev.berth.server.resize;

import static dev.berth.server.access.Permission.APP_READ;
import static dev.berth.server.access.Permission.APP_SCALE;

import dev.berth.core.app.App;
import dev.berth.core.release.LiveResize;
import dev.berth.core.release.ResizeRequest;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.app.AppOperations;
import dev.berth.server.audit.AuditLog;

/**
 * A live change of an app's CPU and memory, for the API and the portal alike: permission {@code
 * app.scale} in the app's team (changing how much an app runs on, as a scale does, not what it
 * runs), audited as {@code app.resize} with the resources before and after.
 */
public class ResizeOperations {
  private final LiveResize resizes;
  private final AppOperations apps;
  private final Access access;
  private final AuditLog audit;

  public ResizeOperations(LiveResize resizes, AppOperations apps, Access access, AuditLog audit) {
    this.resizes = resizes;
    this.apps = apps;
    this.access = access;
    this.audit = audit;
  }

  public LiveResize.Outcome resize(String name, ResizeRequest request) {
    App current = apps.get(name);
    return audit.change(
        "app.resize",
        "app",
        name,
        c -> {
          c.team(current.team()).before(current.spec().resources());
          Caller caller = access.requireOn(APP_READ, APP_SCALE, "app", name, current.team());
          LiveResize.Outcome out = resizes.resize(name, request, caller.name());
          c.after(out.app().spec().resources()).detail(out.message());
          return out;
        });
  }

  /** Whether the caller may resize the app (for showing the form). */
  public boolean can(App app) {
    return apps.can(APP_SCALE, app);
  }

  public App get(String name) {
    return apps.get(name);
  }
}
