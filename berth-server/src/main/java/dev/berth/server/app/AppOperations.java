package dev.berth.server.app;

import static dev.berth.server.access.Permission.APP_CREATE;
import static dev.berth.server.access.Permission.APP_DELETE;
import static dev.berth.server.access.Permission.APP_READ;
import static dev.berth.server.access.Permission.APP_RELEASE;
import static dev.berth.server.access.Permission.APP_RESTART;
import static dev.berth.server.access.Permission.APP_SCALE;
import static dev.berth.server.access.Permission.APP_UPDATE_SPEC;
import static dev.berth.server.access.Permission.INSTANCE_DELETE;

import dev.berth.core.app.App;
import dev.berth.core.app.AppRequest;
import dev.berth.core.app.AppService;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Revision;
import dev.berth.core.app.Scale;
import dev.berth.core.node.PoolDirectory;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.support.Errors;
import dev.berth.core.support.Page;
import dev.berth.core.support.TeamImagePolicy;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.access.Permission;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.team.RedLines;
import dev.berth.server.team.TeamService;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Every application operation a person asks for, from the REST API and the portal alike: checks the
 * caller's permission in the app's team ({@link Access}), applies the red lines ({@link RedLines}),
 * calls {@link AppService}, and writes the audit log ({@link AuditLog}) with the spec before and
 * after.
 */
@Service
public class AppOperations {
  private final AppService apps;
  private final Access access;
  private final AuditLog audit;
  private final RedLines redLines;
  private final TeamService teams;
  private final PoolDirectory pools;
  private final TeamImagePolicy images;

  public AppOperations(
      AppService apps,
      Access access,
      AuditLog audit,
      RedLines redLines,
      TeamService teams,
      PoolDirectory pools,
      TeamImagePolicy images) {
    this.apps = apps;
    this.access = access;
    this.audit = audit;
    this.redLines = redLines;
    this.teams = teams;
    this.pools = pools;
    this.images = images;
  }

  /**
   * The app's team may not run an image of another team's repository; an image the app already runs
   * ({@code before}) stays allowed.
   */
  private void checkImage(String team, String before, AppSpec spec, Errors errors) {
    if (spec != null) {
      images.check(spec.image(), before, team, "image", errors);
    }
  }

  private void requireImage(String team, String before, AppSpec spec) {
    if (spec != null) {
      images.require(spec.image(), before, team, "image");
    }
  }

  /**
   * A named {@code scheduling.pool} must be a pool of the app's cluster, and {@code
   * scheduling.nodeLabels} must not ask for another value of a label the pool's selector requires.
   */
  private void checkPool(String cluster, AppSpec spec) {
    if (spec != null && spec.scheduling() != null) {
      Errors errors = new Errors();
      pools.check(
          cluster,
          spec.scheduling().pool(),
          "scheduling.pool",
          spec.scheduling().nodeLabels(),
          "scheduling.nodeLabels",
          errors);
      errors.throwIfAny();
    }
  }

  /** Apps of the teams the caller may read. */
  public Page<App> list(String query, int page, int size) {
    return apps.list(query, access.readable(APP_READ), page, size);
  }

  /** The app, when the caller may read it; otherwise as if it did not exist. */
  public App get(String name) {
    App app = apps.get(name);
    access.requireOn(APP_READ, APP_READ, "app", name, app.team());
    return app;
  }

  /**
   * What is wrong with {@code request} as a new app, as {@link #create} would say first; changes
   * nothing.
   */
  public List<ValidationException.FieldError> problemsOfNew(AppRequest request) {
    Errors errors = new Errors();
    checkImage(TeamService.teamOrDefault(request.team()), null, request.spec(), errors);
    return concat(apps.problemsOfNew(request), errors);
  }

  /**
   * What is wrong with {@code request} as a change of app {@code name}, as {@link #update} would
   * say first; changes nothing.
   */
  public List<ValidationException.FieldError> problemsOfUpdate(String name, AppRequest request) {
    App current = get(name);
    Errors errors = new Errors();
    checkImage(current.team(), current.spec().image(), request.spec(), errors);
    return concat(apps.problemsOfUpdate(name, request), errors);
  }

  private static List<ValidationException.FieldError> concat(
      List<ValidationException.FieldError> first, Errors more) {
    return java.util.stream.Stream.concat(first.stream(), more.list().stream()).toList();
  }

  /**
   * Creates the app in its team ({@code default} when none is given), which the caller must be
   * allowed to deploy to.
   */
  public App create(AppRequest request) {
    String team = TeamService.teamOrDefault(request.team());
    return audit.change(
        "app.create",
        "app",
        request.name(),
        c -> {
          c.team(team);
          Caller caller = access.require(APP_CREATE, team);
          teams.requireExists(team);
          checkPool(request.cluster(), request.spec());
          requireImage(team, null, request.spec());
          App created =
              apps.create(
                  new AppRequest(
                      request.name(),
                      team,
                      request.cluster(),
                      request.spec(),
                      request.instances(),
                      request.version()),
                  caller.name());
          c.after(created.spec())
              .detail(created.instances() + " instance(s) on cluster " + created.cluster());
          return created;
        });
  }

  /**
   * Replaces the spec and, when given, the instance count. A new image and nothing else is a
   * release ({@code app.release}, which operators hold); any other spec change needs {@code
   * app.update-spec}; a request that only changes the count is a scale ({@code app.scale}).
   */
  public App update(String name, AppRequest request, String confirm) {
    App current = get(name);
    boolean specChanged = request.spec() != null && !request.spec().equals(current.spec());
    boolean release =
        specChanged && request.spec().equals(withImage(current.spec(), request.spec().image()));
    Permission needed = !specChanged ? APP_SCALE : release ? APP_RELEASE : APP_UPDATE_SPEC;
    return audit.change(
        needed.id(),
        "app",
        name,
        c -> {
          c.team(current.team());
          Caller caller = access.requireOn(APP_READ, needed, "app", name, current.team());
          if (request.team() != null
              && !request.team().isBlank()
              && !request.team().equals(current.team())) {
            throw ValidationException.of(
                "team",
                "cannot be changed (is '"
                    + current.team()
                    + "'); create the app in the other team instead");
          }
          redLines.checkScale(current, request.instances(), confirm);
          if (specChanged) {
            checkPool(current.cluster(), request.spec());
            requireImage(current.team(), current.spec().image(), request.spec());
          }
          App saved = apps.update(name, request, caller.name());
          if (saved.revision() != current.revision()) {
            c.before(current.spec()).after(saved.spec()).detail("revision " + saved.revision());
          }
          if (saved.instances() != current.instances()) {
            c.detail(
                (saved.revision() != current.revision()
                        ? "revision " + saved.revision() + "; "
                        : "")
                    + "from "
                    + current.instances()
                    + " to "
                    + saved.instances()
                    + " instance(s)");
          }
          return saved;
        });
  }

  /**
   * A new image and nothing else: the rest of the spec and the instance count stay (a release,
   * which operators hold).
   */
  public App release(String name, String image, Long version) {
    App current = get(name);
    return update(
        name,
        new AppRequest(name, null, null, withImage(current.spec(), image), null, version),
        null);
  }

  public App scale(String name, Integer instances, Long version, String confirm) {
    Scale scale = Scale.of(instances);
    App current = get(name);
    return audit.change(
        "app.scale",
        "app",
        name,
        c -> {
          c.team(current.team());
          Caller caller = access.requireOn(APP_READ, APP_SCALE, "app", name, current.team());
          redLines.checkScale(current, scale.instances(), confirm);
          App saved = apps.scale(name, scale, version, caller.name());
          c.detail("from " + current.instances() + " to " + saved.instances() + " instance(s)");
          return saved;
        });
  }

  private static AppSpec withImage(AppSpec s, String image) {
    return s.withImage(image);
  }

  /** Deletes the app; {@code confirm} must be its name. */
  public App delete(String name, String confirm) {
    App current = get(name);
    return audit.change(
        "app.delete",
        "app",
        name,
        c -> {
          c.team(current.team()).before(current.spec());
          Caller caller = access.requireOn(APP_READ, APP_DELETE, "app", name, current.team());
          redLines.requireConfirmed("deleting app '" + name + "'", name, confirm);
          return apps.delete(name, caller.name());
        });
  }

  public List<Revision> revisions(String name) {
    get(name);
    return apps.revisions(name);
  }

  public List<Instance> instances(String name) {
    get(name);
    return apps.instances(name);
  }

  /** What the cluster's workload controller reports about the app, where it has one. */
  public java.util.Optional<dev.berth.core.runtime.WorkloadStatus> workloadStatus(String name) {
    get(name);
    return apps.workloadStatus(name);
  }

  /**
   * Deletes one instance. Without replacement the app shrinks by one; taking a production app's
   * last instance that way needs {@code confirm} like scaling it to zero.
   */
  public String deleteInstance(String name, String instanceId, boolean replace, String confirm) {
    App current = get(name);
    return audit.change(
        "instance.delete",
        "instance",
        instanceId,
        c -> {
          c.team(current.team())
              .detail(replace ? "replaced by a fresh instance" : "without replacement");
          Caller caller = access.requireOn(APP_READ, INSTANCE_DELETE, "app", name, current.team());
          if (!replace) {
            redLines.checkScale(current, current.instances() - 1, confirm);
          }
          return apps.deleteInstance(name, instanceId, replace, caller.name());
        });
  }

  public void restartInstance(String name, String instanceId) {
    App current = get(name);
    audit.change(
        "app.restart",
        "instance",
        instanceId,
        c -> {
          c.team(current.team());
          Caller caller = access.requireOn(APP_READ, APP_RESTART, "app", name, current.team());
          apps.restartInstance(name, instanceId, caller.name());
          return null;
        });
  }

  public LogStream logs(String name, String instanceId, LogQuery query) {
    get(name);
    return apps.logs(name, instanceId, query);
  }

  /** Every instance's log merged by time, each line marked with its instance. */
  public LogStream appLogs(String name, LogQuery query) {
    get(name);
    return apps.appLogs(name, query);
  }

  /**
   * For each team of {@code shown}, the ids of the permissions the caller holds there (for lists).
   */
  public java.util.Map<String, java.util.Set<String>> permissionsByTeam(List<App> shown) {
    return access.permissionsIn(shown.stream().map(App::team).toList());
  }

  /**
   * Whether the app is in a production team or on a production cluster (its scale form then asks
   * for the name).
   */
  public boolean isProduction(App app) {
    return redLines.isProduction(app);
  }

  /**
   * Whether the caller holds {@code permission} on the app (for showing or hiding portal actions).
   */
  public boolean can(Permission permission, App app) {
    return access.caller().can(permission, app.team());
  }
}
