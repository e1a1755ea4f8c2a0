package dev.berth.server.build;

import static dev.berth.server.access.Permission.BUILD_CREATE;
import static dev.berth.server.access.Permission.BUILD_READ;
import static dev.berth.server.access.Permission.BUILD_TEMPLATE_MANAGE;
import static dev.berth.server.access.Permission.BUILD_TEMPLATE_READ;

import dev.berth.core.support.Page;
import dev.berth.oci.build.BuildSpec;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.access.ForbiddenException;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.image.RepositoryTeamOperations;
import dev.berth.server.team.TeamService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.web.multipart.MultipartFile;

/**
 * Image builds and build templates as the caller may see and start them, from the REST API and the
 * portal alike. A build belongs to a team: starting one needs {@code build.create} there
 * (developers) and pushes only to the team's repository prefixes or to repositories no prefix
 * claims ({@link RepositoryTeamOperations}), reading it {@code build.read} (viewers); lists show
 * only the caller's teams' builds and the builds of templates. Templates are the platform's base
 * images: every signed-in user reads them and builds on them, only admins create, replace, rebuild
 * or delete them ({@code build-template.manage}). Every change goes to the audit log with the spec.
 */
@Service
public class BuildOperations {
  private final BuildService builds;
  private final Access access;
  private final AuditLog audit;
  private final TeamService teams;
  private final RepositoryTeamOperations repositoryTeams;

  public BuildOperations(
      BuildService builds,
      Access access,
      AuditLog audit,
      TeamService teams,
      RepositoryTeamOperations repositoryTeams) {
    this.builds = builds;
    this.access = access;
    this.audit = audit;
    this.teams = teams;
    this.repositoryTeams = repositoryTeams;
  }

  /**
   * Starts a build in {@code team}; without one, in the caller's only team, else in {@code
   * default}.
   *
   * @param cause where it was asked for ({@code api}, {@code portal})
   */
  public Build submit(BuildSpec spec, Map<String, MultipartFile> parts, String team, String cause) {
    String inTeam = team == null || team.isBlank() ? defaultTeam() : team.strip();
    return audit.change(
        "build.create",
        "build",
        spec == null ? null : spec.image(),
        c -> {
          c.team(inTeam);
          Caller caller = access.require(BUILD_CREATE, inTeam);
          teams.requireExists(inTeam);
          if (spec != null && spec.image() != null) {
            repositoryTeams.requirePushable(spec.image(), inTeam);
          }
          Build build = builds.submit(spec, parts, inTeam, caller.name(), cause);
          c.after(spec).detail("build #" + build.id());
          return build;
        });
  }

  /** The team a build goes to when none is named: the caller's only team, else {@code default}. */
  public String defaultTeam() {
    Caller caller = access.caller();
    return caller.roles().size() == 1
        ? caller.roles().keySet().iterator().next()
        : TeamService.teamOrDefault(null);
  }

  /** Builds of the caller's teams and of templates, newest first. */
  public Page<Build> list(String q, int page, int size) {
    Set<String> readable = access.readable(BUILD_READ);
    return builds.list(q, readable, page, size);
  }

  /** A build the caller may read; otherwise as if it did not exist. */
  public Build get(long id) {
    Build build = builds.get(id);
    if (build.team() == null) {
      access.require(BUILD_TEMPLATE_READ, null);
    } else {
      access.requireOn(BUILD_READ, BUILD_READ, "build", Long.toString(id), build.team());
    }
    return build;
  }

  public List<BuildTemplate> templates() {
    access.require(BUILD_TEMPLATE_READ, null);
    return builds.templates();
  }

  public BuildTemplate template(String name) {
    access.require(BUILD_TEMPLATE_READ, null);
    return builds.template(name);
  }

  /** Creates or replaces a template (admins) and starts its build. */
  public BuildService.SavedTemplate saveTemplate(
      String name, BuildSpec spec, Map<String, MultipartFile> parts) {
    BuildSpec before =
        name != null && builds.hasTemplate(name) ? builds.template(name).spec() : null;
    return audit.change(
        before == null ? "build-template.create" : "build-template.update",
        "build-template",
        name,
        c -> {
          Caller caller = access.require(BUILD_TEMPLATE_MANAGE, null);
          BuildService.SavedTemplate saved = builds.saveTemplate(name, spec, parts, caller.name());
          c.before(before).after(spec).detail("build #" + saved.build().id());
          return saved;
        });
  }

  /** Rebuilds a template from its stored spec (admins). */
  public Build buildTemplate(String name) {
    builds.template(name);
    return audit.change(
        "build-template.build",
        "build-template",
        name,
        c -> {
          Caller caller = access.require(BUILD_TEMPLATE_MANAGE, null);
          Build build = builds.buildTemplate(name, caller.name());
          c.detail("build #" + build.id());
          return build;
        });
  }

  /** Deletes a template no other template is based on (admins); its pushed images stay. */
  public void deleteTemplate(String name) {
    BuildTemplate current = builds.template(name);
    audit.change(
        "build-template.delete",
        "build-template",
        name,
        c -> {
          access.require(BUILD_TEMPLATE_MANAGE, null);
          c.before(current.spec());
          builds.deleteTemplate(name);
          return null;
        });
  }

  /** Whether the caller may start a build in some team (for showing or hiding portal actions). */
  public boolean canBuild() {
    Set<String> in = access.caller().teamsWith(BUILD_CREATE);
    return in == null || !in.isEmpty();
  }

  /** The refusal for a caller who may build in no team (the portal's build form). */
  public ForbiddenException buildRefused() {
    return new ForbiddenException(access.caller(), BUILD_CREATE, defaultTeam());
  }

  /**
   * Whether the caller may create, rebuild and delete templates (for showing or hiding portal
   * actions).
   */
  public boolean canManageTemplates() {
    return access.caller().can(BUILD_TEMPLATE_MANAGE, null);
  }
}
