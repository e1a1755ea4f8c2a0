package dev.berth.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ValidationException;
import dev.berth.server.user.Accounts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The role → permission table, a caller's rights, and how far a token's scope may go. */
class PermissionsTest {
  final Caller alice =
      new Caller(
          "alice",
          false,
          Map.of("payments", TeamRole.DEVELOPER, "search", TeamRole.VIEWER),
          "session",
          false);

  @Test
  void anOperatorMayReleaseRestartAndScaleButNeitherEditTheSpecNorDelete() {
    assertThat(TeamRole.OPERATOR.permissions())
        .contains(
            Permission.APP_RELEASE,
            Permission.APP_RESTART,
            Permission.APP_SCALE,
            Permission.APP_READ)
        .doesNotContain(
            Permission.APP_UPDATE_SPEC,
            Permission.APP_DELETE,
            Permission.INSTANCE_DELETE,
            Permission.TASK_DELETE);
  }

  @Test
  void eachRoleHoldsEverythingTheRolesBelowItHold() {
    assertThat(TeamRole.OWNER.permissions())
        .containsAll(TeamRole.DEVELOPER.permissions())
        .contains(Permission.TEAM_MEMBERS);
    assertThat(TeamRole.DEVELOPER.permissions())
        .containsAll(TeamRole.OPERATOR.permissions())
        .doesNotContain(Permission.TEAM_MEMBERS);
    assertThat(TeamRole.OPERATOR.permissions()).containsAll(TeamRole.VIEWER.permissions());
    assertThat(TeamRole.VIEWER.permissions())
        .containsExactlyInAnyOrder(
            Permission.APP_READ,
            Permission.TASK_READ,
            Permission.RUN_READ,
            Permission.TEAM_READ,
            Permission.BUILD_READ,
            Permission.ALERT_READ,
            Permission.PIPELINE_READ,
            Permission.REPOSITORY_READ);
    assertThat(TeamRole.OPERATOR.permissions())
        .as("operators promote and approve promotions; developers also manage pipelines")
        .contains(Permission.PIPELINE_PROMOTE, Permission.PIPELINE_APPROVE)
        .doesNotContain(Permission.PIPELINE_MANAGE);
    assertThat(TeamRole.OWNER.permissions())
        .as("platform permissions are no team role's")
        .doesNotContain(Permission.CLUSTER_CREATE, Permission.AUDIT_READ);
  }

  @Test
  void aCallerMayActOnlyInTheirTeamsAndAdminsEverywhere() {
    assertThat(alice.can(Permission.APP_DELETE, "payments")).isTrue();
    assertThat(alice.can(Permission.APP_DELETE, "search")).isFalse();
    assertThat(alice.can(Permission.APP_READ, "search")).isTrue();
    assertThat(alice.can(Permission.APP_READ, "other")).isFalse();
    assertThat(alice.can(Permission.CLUSTER_READ, null)).isTrue();
    assertThat(alice.can(Permission.CLUSTER_CREATE, null)).isFalse();
    assertThat(alice.teamsWith(Permission.APP_DELETE)).containsExactly("payments");
    assertThat(alice.teamsWith(Permission.APP_READ))
        .containsExactlyInAnyOrder("payments", "search");
    assertThat(Caller.SYSTEM.teamsWith(Permission.APP_READ)).as("admins: every team").isNull();
    assertThat(Caller.SYSTEM.can(Permission.AUDIT_READ, null)).isTrue();
  }

  @Test
  void everyoneReadsRegistriesAndTemplatesButOnlyAdminsManageThemAndBuildsGoByTeam() {
    assertThat(alice.can(Permission.REGISTRY_READ, null)).isTrue();
    assertThat(alice.can(Permission.BUILD_TEMPLATE_READ, null)).isTrue();
    assertThat(alice.can(Permission.REGISTRY_MANAGE, null)).isFalse();
    assertThat(alice.can(Permission.REGISTRY_NOTIFY, null)).isFalse();
    assertThat(alice.can(Permission.REPLICATION_MANAGE, null)).isFalse();
    assertThat(alice.can(Permission.BUILD_TEMPLATE_MANAGE, null)).isFalse();
    assertThat(alice.can(Permission.BUILD_CREATE, "payments")).isTrue();
    assertThat(alice.can(Permission.BUILD_CREATE, "search")).isFalse();
    assertThat(alice.teamsWith(Permission.BUILD_READ))
        .containsExactlyInAnyOrder("payments", "search");
  }

  @Test
  void aForbiddenAnswerNamesThePermissionTheRoleAndWhoCanGrantIt() {
    ForbiddenException e = new ForbiddenException(alice, Permission.APP_SCALE, "search");
    assertThat(e.permission()).isEqualTo("app.scale");
    assertThat(e.team()).isEqualTo("search");
    assertThat(e.getMessage())
        .contains(
            "'app.scale'",
            "team 'search'",
            "(role viewer)",
            "operator or higher",
            "an owner of 'search'");
  }

  @Test
  void aTokenScopeMayNarrowButNeverWidenItsUser() {
    TokenScope narrow =
        new TokenScope(false, List.of(new TeamGrant("payments", TeamRole.OPERATOR)));
    assertThat(Accounts.within(narrow, alice)).isEqualTo(narrow);
    assertThat(Accounts.within(null, alice).teams())
        .containsExactly(
            new TeamGrant("payments", TeamRole.DEVELOPER),
            new TeamGrant("search", TeamRole.VIEWER));

    TokenScope wide =
        new TokenScope(
            true,
            List.of(
                new TeamGrant("payments", TeamRole.OWNER),
                new TeamGrant("other", TeamRole.VIEWER)));
    assertThatThrownBy(() -> Accounts.within(wide, alice))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            x ->
                assertThat(((ValidationException) x).errors())
                    .extracting(ValidationException.FieldError::field)
                    .containsExactly("admin", "scopes[0].role", "scopes[1].team"));
  }

  @Test
  void aScopeIsStoredAndReadBackUnchanged() {
    TokenScope scope =
        new TokenScope(
            true,
            List.of(
                new TeamGrant("payments", TeamRole.OPERATOR),
                new TeamGrant("search", TeamRole.VIEWER)));
    assertThat(scope.format()).isEqualTo("admin,payments=operator,search=viewer");
    assertThat(TokenScope.parse(scope.format())).isEqualTo(scope);
    assertThat(TokenScope.parse(null)).isNull();
    assertThat(TeamRole.DEVELOPER.atMost(TeamRole.VIEWER)).isEqualTo(TeamRole.VIEWER);
    assertThat(TeamRole.VIEWER.atMost(TeamRole.OWNER)).isEqualTo(TeamRole.VIEWER);
  }

  @Test
  void expiriesAreReadAsDaysHoursMinutesOrIsoDurations() {
    assertThat(Accounts.parseTtl("30d")).hasDays(30);
    assertThat(Accounts.parseTtl("12h")).hasHours(12);
    assertThat(Accounts.parseTtl("PT90M")).hasMinutes(90);
    assertThat(Accounts.parseTtl(" ")).isNull();
    assertThatThrownBy(() -> Accounts.parseTtl("soon"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("expiresIn");
  }
}
