package dev.berth.server.autoscale;

import static dev.berth.server.access.Permission.APP_AUTOSCALE;
import static dev.berth.server.access.Permission.APP_READ;

import dev.berth.core.app.App;
import dev.berth.core.autoscale.AutoscalePolicy;
import dev.berth.core.autoscale.Decision;
import dev.berth.core.autoscale.WindowClock;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.time.Scheduler;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.app.AppOperations;
import dev.berth.server.audit.AuditLog;
import java.time.Instant;
import java.util.List;

/**
 * An app's autoscaling as people ask for it, from the API and the portal alike: reading needs
 * {@code app.read}, setting and removing the policy {@code app.autoscale} (operators and up) in the
 * app's team; every change is audited ({@code app.autoscale}, the policy before and after).
 */
public class AutoscaleOperations {
  /** How many decisions a view shows. */
  public static final int SHOWN = 20;

  private final JdbcAutoscaleStore store;
  private final AppOperations apps;
  private final Access access;
  private final AuditLog audit;
  private final WindowClock windows;
  private final Scheduler clock;

  AutoscaleOperations(
      JdbcAutoscaleStore store,
      AppOperations apps,
      Access access,
      AuditLog audit,
      WindowClock windows,
      Scheduler clock) {
    this.store = store;
    this.apps = apps;
    this.access = access;
    this.audit = audit;
    this.windows = windows;
    this.clock = clock;
  }

  /** The app's policy, its status and its newest decisions. */
  public record View(
      String app,
      boolean enabled,
      AutoscalePolicy policy,
      int instances,
      String updatedBy,
      Instant updatedAt,
      List<Decision> decisions) {}

  public View get(String name) {
    App app = apps.get(name);
    return store
        .find(name)
        .map(
            s ->
                new View(
                    name,
                    true,
                    s.policy(),
                    app.instances(),
                    s.updatedBy(),
                    s.updatedAt(),
                    store.decisions(name, SHOWN)))
        .orElse(new View(name, false, null, app.instances(), null, null, List.of()));
  }

  /** What is wrong with {@code policy} for the app, as {@link #put} would say; stores nothing. */
  public List<dev.berth.core.support.ValidationException.FieldError> problems(
      String name, AutoscalePolicy policy) {
    App app = apps.get(name);
    return policy.problems(app.spec().resources().cpu(), windows).list();
  }

  public View put(String name, AutoscalePolicy policy) {
    App app = apps.get(name);
    AutoscalePolicy before = store.find(name).map(JdbcAutoscaleStore.Stored::policy).orElse(null);
    audit.change(
        "app.autoscale",
        "app",
        name,
        c -> {
          c.team(app.team()).before(before).after(policy);
          Caller caller = access.requireOn(APP_READ, APP_AUTOSCALE, "app", name, app.team());
          policy.problems(app.spec().resources().cpu(), windows).throwIfAny();
          store.put(name, policy, caller.name(), clock.instant());
          c.detail(
              "autoscaling "
                  + policy.min()
                  + "–"
                  + policy.max()
                  + " instance(s)"
                  + (policy.dryRun() ? " (dry run)" : ""));
          return null;
        });
    return get(name);
  }

  public void delete(String name) {
    App app = apps.get(name);
    AutoscalePolicy before =
        store
            .find(name)
            .map(JdbcAutoscaleStore.Stored::policy)
            .orElseThrow(() -> new NotFoundException("autoscaling policy", name));
    audit.change(
        "app.autoscale",
        "app",
        name,
        c -> {
          c.team(app.team()).before(before).detail("autoscaling turned off");
          access.requireOn(APP_READ, APP_AUTOSCALE, "app", name, app.team());
          store.delete(name);
          return null;
        });
  }
}
