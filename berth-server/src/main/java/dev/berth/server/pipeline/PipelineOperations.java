package dev.berth.server.pipeline;

import static dev.berth.server.access.Permission.PIPELINE_MANAGE;
import static dev.berth.server.access.Permission.PIPELINE_READ;

import dev.berth.core.app.App;
import dev.berth.core.app.AppService;
import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.team.TeamService;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Creating, reading and deleting pipelines, from the REST API and the portal alike. A pipeline is
 * readable by whoever may read its own team or the team of one of its environments' apps; changing
 * it takes {@code pipeline.manage} in its team. Every change is audited.
 */
@Service
public class PipelineOperations {
  /** A new pipeline as asked for: its name, owning team and environments in order. */
  public record NewPipeline(String name, String team, List<Pipeline.Environment> environments) {}

  private final JdbcPipelineStore store;
  private final AppService apps;
  private final Access access;
  private final AuditLog audit;
  private final TeamService teams;
  private final Clock clock;

  public PipelineOperations(
      JdbcPipelineStore store,
      AppService apps,
      Access access,
      AuditLog audit,
      TeamService teams,
      Clock clock) {
    this.store = store;
    this.apps = apps;
    this.access = access;
    this.audit = audit;
    this.teams = teams;
    this.clock = clock;
  }

  /** The pipelines the caller may read, by name. */
  public List<Pipeline> list() {
    Caller caller = access.caller();
    return store.all().stream().filter(p -> readable(caller, p)).toList();
  }

  /** The pipeline, when the caller may read it; otherwise as if it did not exist. */
  public Pipeline get(String name) {
    Pipeline p = store.find(name).orElseThrow(() -> new NotFoundException("pipeline", name));
    if (!readable(access.caller(), p)) {
      throw new NotFoundException("pipeline", name);
    }
    return p;
  }

  /** The app of an environment, if it still exists. */
  public Optional<App> app(Pipeline.Environment env) {
    try {
      return Optional.of(apps.get(env.app()));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  public Pipeline create(NewPipeline request) {
    String team = TeamService.teamOrDefault(request.team());
    return audit.change(
        "pipeline.create",
        "pipeline",
        request.name(),
        c -> {
          c.team(team);
          Caller caller = access.require(PIPELINE_MANAGE, team);
          teams.requireExists(team);
          check(request, caller);
          Pipeline created =
              store.create(
                  new Pipeline(
                      request.name(),
                      team,
                      request.environments(),
                      caller.name(),
                      clock.instant()));
          c.after(created).detail(created.order());
          return created;
        });
  }

  public void delete(String name) {
    Pipeline p = get(name);
    audit.change(
        "pipeline.delete",
        "pipeline",
        name,
        c -> {
          c.team(p.team()).before(p);
          access.require(PIPELINE_MANAGE, p.team());
          if (!store.delete(name)) {
            throw new NotFoundException("pipeline", name);
          }
          return null;
        });
  }

  /** Whether the caller may change or delete the pipeline (for showing controls). */
  public boolean canManage(Pipeline p) {
    return access.caller().can(PIPELINE_MANAGE, p.team());
  }

  private boolean readable(Caller caller, Pipeline p) {
    if (caller.can(PIPELINE_READ, p.team())) {
      return true;
    }
    for (Pipeline.Environment e : p.environments()) {
      Optional<App> app = app(e);
      if (app.isPresent() && caller.can(PIPELINE_READ, app.get().team())) {
        return true;
      }
    }
    return false;
  }

  /** Every wrong field of a new pipeline, all at once; an app the caller cannot read is unknown. */
  private void check(NewPipeline request, Caller caller) {
    Errors errors = new Errors();
    errors.dnsLabel(request.name(), "name", 63);
    List<Pipeline.Environment> envs =
        request.environments() == null ? List.of() : request.environments();
    if (envs.size() < 2) {
      errors.add(
          "environments",
          "name at least two environments in order, such as [{\"name\": \"test\", \"app\":"
              + " \"web-test\"}, {\"name\": \"prod\", \"app\": \"web\", \"requiresApproval\": true}]");
    }
    Set<String> names = new HashSet<>();
    Set<String> appNames = new HashSet<>();
    for (int i = 0; i < envs.size(); i++) {
      Pipeline.Environment e = envs.get(i);
      String at = "environments[" + i + "].";
      if (e == null) {
        errors.add("environments[" + i + "]", "is empty; give name and app");
        continue;
      }
      errors.dnsLabel(e.name(), at + "name", 63);
      if (e.name() != null && !names.add(e.name())) {
        errors.add(at + "name", "'" + e.name() + "' comes twice; each environment once");
      }
      if (e.app() == null || e.app().isBlank()) {
        errors.add(at + "app", "is required: the app that is this environment");
        continue;
      }
      if (!appNames.add(e.app())) {
        errors.add(at + "app", "'" + e.app() + "' is already another environment of this pipeline");
      }
      Optional<App> app = app(e);
      if (app.isEmpty() || !caller.can(PIPELINE_READ, app.get().team())) {
        errors.add(at + "app", "no app '" + e.app() + "' that you may read; create it first");
      }
    }
    errors.throwIfAny();
  }
}
