package dev.berth.server.access;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fine-grained actions Berth checks. A team permission ({@link #teamRole()} not null) is
 * granted in one team to that role and every role above it; a platform permission only to admins
 * ({@link Role#ADMIN}), who also hold every team permission in every team. Their ids ({@code
 * app.delete}) appear in 403 answers and the audit log.
 */
public enum Permission {
  APP_READ("app.read", TeamRole.VIEWER),
  APP_CREATE("app.create", TeamRole.DEVELOPER),
  APP_UPDATE_SPEC("app.update-spec", TeamRole.DEVELOPER),
  APP_RELEASE("app.release", TeamRole.OPERATOR),
  APP_RESTART("app.restart", TeamRole.OPERATOR),
  APP_SCALE("app.scale", TeamRole.OPERATOR),
  APP_AUTOSCALE("app.autoscale", TeamRole.OPERATOR),
  APP_DELETE("app.delete", TeamRole.DEVELOPER),
  INSTANCE_DELETE("instance.delete", TeamRole.DEVELOPER),
  INSTANCE_TRAFFIC("instance.traffic", TeamRole.OPERATOR),
  INSTANCE_EXEC("instance.exec", TeamRole.DEVELOPER),
  RELEASE_PROMOTE("release.promote", TeamRole.OPERATOR),
  RELEASE_PAUSE("release.pause", TeamRole.OPERATOR),
  RELEASE_ABORT("release.abort", TeamRole.OPERATOR),
  APP_ROLLBACK("app.rollback", TeamRole.OPERATOR),
  TASK_READ("task.read", TeamRole.VIEWER),
  TASK_CREATE("task.create", TeamRole.DEVELOPER),
  TASK_RUN("task.run", TeamRole.OPERATOR),
  TASK_DELETE("task.delete", TeamRole.DEVELOPER),
  RUN_READ("run.read", TeamRole.VIEWER),
  RUN_CANCEL("run.cancel", TeamRole.OPERATOR),
  RUN_DELETE("run.delete", TeamRole.DEVELOPER),
  RUN_EXEC("run.exec", TeamRole.DEVELOPER),
  PIPELINE_READ("pipeline.read", TeamRole.VIEWER),
  PIPELINE_MANAGE("pipeline.manage", TeamRole.DEVELOPER),
  PIPELINE_PROMOTE("pipeline.promote", TeamRole.OPERATOR),
  PIPELINE_APPROVE("pipeline.approve", TeamRole.OPERATOR),
  TEAM_READ("team.read", TeamRole.VIEWER),
  TEAM_MEMBERS("team.members", TeamRole.OWNER),
  TEAM_CREATE("team.create", null),
  TEAM_UPDATE("team.update", null),
  BUILD_READ("build.read", TeamRole.VIEWER),
  BUILD_CREATE("build.create", TeamRole.DEVELOPER),
  CLUSTER_READ("cluster.read", null),
  CLUSTER_CREATE("cluster.create", null),
  CLUSTER_UPDATE("cluster.update", null),
  CLUSTER_DELETE("cluster.delete", null),
  NODE_MANAGE("node.manage", null),
  INSPECTION_READ("inspection.read", null),
  INSPECTION_RUN("inspection.run", null),
  REGISTRY_READ("registry.read", null),
  /** Seeing a team's repositories in the image centre (those under the team's prefixes). */
  REPOSITORY_READ("repository.read", TeamRole.VIEWER),
  REGISTRY_MANAGE("registry.manage", null),
  REGISTRY_NOTIFY("registry.notify", null),
  REPLICATION_MANAGE("replication.manage", null),
  BUILD_TEMPLATE_READ("build-template.read", null),
  BUILD_TEMPLATE_MANAGE("build-template.manage", null),
  USER_READ("user.read", null),
  USER_CREATE("user.create", null),
  USER_TOKENS("user.tokens", null),
  AUDIT_READ("audit.read", null),
  ALERT_READ("alert.read", TeamRole.VIEWER),
  ALERT_MANAGE("alert.manage", TeamRole.OPERATOR),
  /** Metrics other than Berth's own from a cluster's Prometheus (they may show any team's work). */
  METRICS_READ_ANY("metrics.read-any", null);

  private final String id;
  private final TeamRole teamRole;

  Permission(String id, TeamRole teamRole) {
    this.id = id;
    this.teamRole = teamRole;
  }

  /** The id shown to people, e.g. {@code app.update-spec}. */
  public String id() {
    return id;
  }

  /** The least team role granting it, or null for a platform permission. */
  public TeamRole teamRole() {
    return teamRole;
  }

  public boolean isTeamPermission() {
    return teamRole != null;
  }

  /**
   * Whether every signed-in user holds this platform permission: reading clusters and nodes (to
   * choose where to deploy), registries, their repositories and replication rules (to choose
   * images), and build templates (to build on them). The others are admin-only, except that every
   * user manages their own tokens.
   */
  public boolean everyone() {
    return this == CLUSTER_READ || this == REGISTRY_READ || this == BUILD_TEMPLATE_READ;
  }

  /** The permission with this id ({@code registry.notify}), if there is one. */
  public static java.util.Optional<Permission> byId(String id) {
    return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
  }

  static Set<Permission> granted(TeamRole role) {
    return Arrays.stream(values())
        .filter(p -> p.teamRole != null && role.includes(p.teamRole))
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Permission.class)));
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}
