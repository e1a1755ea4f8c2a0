package dev.berth.server.security.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ValidationException;
import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantMapperTest {
  final GrantMapper mapper =
      new GrantMapper(
          "berth.security.ldap",
          List.of(
              new GroupMapping(
                  "cn=payments-devs,ou=groups,dc=example,dc=org", "payments", "developer"),
              new GroupMapping("payments-leads", "payments", "owner"),
              new GroupMapping("web-readers", "web", "Viewer")),
          List.of("cn=platform,ou=groups,dc=example,dc=org"));

  @Test
  void mapsGroupsByDnOrNameIgnoringCaseAndSpacesInDns() {
    var grants =
        mapper.map(
            List.of("CN=Payments-Devs, OU=groups, DC=example, DC=org", "WEB-READERS", "unmapped"));

    assertThat(grants.admin()).isFalse();
    assertThat(grants.grants())
        .containsExactly(
            new TeamGrant("payments", TeamRole.DEVELOPER), new TeamGrant("web", TeamRole.VIEWER));
  }

  @Test
  void keepsTheStrongestRoleWhenSeveralGroupsMapToOneTeam() {
    var grants =
        mapper.map(
            List.of(
                "web-readers", "payments-leads", "cn=payments-devs,ou=groups,dc=example,dc=org"));

    assertThat(grants.grants())
        .containsExactly(
            new TeamGrant("payments", TeamRole.OWNER), new TeamGrant("web", TeamRole.VIEWER));
  }

  @Test
  void makesMembersOfAnAdminGroupAdminsEvenWithoutTeams() {
    var grants = mapper.map(List.of("cn=platform, ou=groups, dc=example, dc=org"));

    assertThat(grants.admin()).isTrue();
    assertThat(grants.grants()).isEmpty();
  }

  @Test
  void namesTheSettingOfEveryBadMappingLine() {
    assertThatThrownBy(
            () ->
                new GrantMapper(
                    "berth.security.oidc",
                    List.of(new GroupMapping("", "Payments", "boss")),
                    List.of()))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).errors())
                    .extracting(ValidationException.FieldError::field)
                    .containsExactly(
                        "berth.security.oidc.group-mappings[0].group",
                        "berth.security.oidc.group-mappings[0].team",
                        "berth.security.oidc.group-mappings[0].role"));
  }
}
