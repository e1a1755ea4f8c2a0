package dev.berth.server.team;

import dev.berth.core.support.ValidationException;
import dev.berth.server.access.TeamRole;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Teams and their members: admins create teams and mark them as production; owners manage members.
 */
@RestController
@RequestMapping("/api/v1/teams")
@Tag(name = "teams", description = "Teams, their members and roles")
public class TeamApi {
  private final TeamService teams;

  public TeamApi(TeamService teams) {
    this.teams = teams;
  }

  /** A team as the API shows it; {@code members} only on a single team. */
  public record TeamJson(
      String name, boolean production, Instant createdAt, List<MemberJson> members) {
    static TeamJson of(Team t, List<TeamMember> members) {
      return new TeamJson(
          t.name(),
          t.production(),
          t.createdAt(),
          members == null ? null : members.stream().map(MemberJson::of).toList());
    }
  }

  /**
   * A member's role in the team and where it came from ({@code local}, {@code ldap}, {@code oidc}).
   */
  public record MemberJson(String user, String role, String source) {
    static MemberJson of(TeamMember m) {
      return new MemberJson(m.user(), m.role().toString(), m.source());
    }
  }

  /** The body of a team creation or change. */
  public record TeamBody(
      @Schema(example = "shop", description = "required on create") String name,
      Boolean production) {}

  /** The body of a member's role. */
  public record RoleBody(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "developer") String role) {}

  @GetMapping
  @Operation(summary = "The caller's teams (admins: all)")
  public ListJson<TeamJson> list() {
    return ListJson.of(teams.list().stream().map(t -> TeamJson.of(t, null)).toList());
  }

  @PostMapping
  @Operation(
      summary =
          "Create a team (admins); production teams' apps go to zero instances only with a confirmation")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<TeamJson> create(@RequestBody TeamBody body) {
    Team team = teams.create(body.name(), body.production());
    return ResponseEntity.created(URI.create("/api/v1/teams/" + team.name()))
        .body(TeamJson.of(team, List.of()));
  }

  @GetMapping("/{team}")
  @Operation(summary = "A team with its members (its members and admins)")
  public TeamJson get(@PathVariable String team) {
    TeamService.Details d = teams.get(team);
    return TeamJson.of(d.team(), d.members());
  }

  @PatchMapping("/{team}")
  @Operation(summary = "Mark a team as production or not (admins)")
  public TeamJson update(@PathVariable String team, @RequestBody TeamBody body) {
    if (body.production() == null) {
      throw ValidationException.of("production", "is required: true or false");
    }
    Team t = teams.setProduction(team, body.production());
    return TeamJson.of(t, null);
  }

  @GetMapping("/{team}/members")
  @Operation(summary = "A team's members and their roles")
  public ListJson<MemberJson> members(@PathVariable String team) {
    return ListJson.of(teams.get(team).members().stream().map(MemberJson::of).toList());
  }

  @PutMapping("/{team}/members/{user}")
  @Operation(
      summary =
          "Give a user a role in the team: owner, developer, operator or viewer (the team's owners and admins); answers the members")
  public ListJson<MemberJson> setMember(
      @PathVariable String team, @PathVariable String user, @RequestBody RoleBody body) {
    return ListJson.of(
        teams.setMember(team, user, role(body.role())).members().stream()
            .map(MemberJson::of)
            .toList());
  }

  @DeleteMapping("/{team}/members/{user}")
  @Operation(summary = "Take a user's roles in the team away (the team's owners and admins)")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public ResponseEntity<Void> removeMember(@PathVariable String team, @PathVariable String user) {
    teams.removeMember(team, user);
    return ResponseEntity.noContent().build();
  }

  static TeamRole role(String role) {
    if (role == null || role.isBlank()) {
      throw ValidationException.of("role", "is required: owner, developer, operator or viewer");
    }
    try {
      return TeamRole.parse(role);
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(
          "role", "must be owner, developer, operator or viewer, was '" + role + "'");
    }
  }
}
