package dev.berth.server.team;

import static dev.berth.server.access.Permission.CLUSTER_UPDATE;
import static dev.berth.server.access.Permission.TEAM_CREATE;
import static dev.berth.server.access.Permission.TEAM_MEMBERS;
import static dev.berth.server.access.Permission.TEAM_READ;
import static dev.berth.server.access.Permission.TEAM_UPDATE;

import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.access.TeamRole;
import dev.berth.server.access.UserLookup;
import dev.berth.server.audit.AuditLog;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Teams and their members as the caller may see and change them, for the API and the portal: admins
 * create teams and mark them (and clusters) as production; a team's owners manage its members;
 * every member sees their team. Every change goes to the audit log.
 */
@Service
public class TeamService {
  /**
   * The team of apps and tasks created without one, and of everything that existed before teams.
   */
  public static final String DEFAULT = "default";

  /**
   * The source of grants given in Berth (by an owner or admin), as opposed to an identity
   * provider's.
   */
  public static final String LOCAL = "local";

  private final JdbcTeamStore store;
  private final UserLookup users;
  private final Access access;
  private final AuditLog audit;
  private final Clock clock;

  public TeamService(
      JdbcTeamStore store, UserLookup users, Access access, AuditLog audit, Clock clock) {
    this.store = store;
    this.users = users;
    this.access = access;
    this.audit = audit;
    this.clock = clock;
  }

  /** {@code team}, or {@link #DEFAULT} when blank. */
  public static String teamOrDefault(String team) {
    return team == null || team.isBlank() ? DEFAULT : team;
  }

  /**
   * A 400 naming {@code team} when it does not exist (asked after the permission check, so it leaks
   * nothing).
   */
  public void requireExists(String team) {
    if (store.find(team).isEmpty()) {
      throw ValidationException.of(
          "team", "unknown team '" + team + "'; an admin creates teams with POST /api/v1/teams");
    }
  }

  /** A team with its members. */
  public record Details(Team team, List<TeamMember> members) {}

  /** The caller's teams (all teams for admins). */
  public List<Team> list() {
    Caller caller = access.caller();
    return store.list(caller.teamsWith(TEAM_READ));
  }

  public Details get(String name) {
    Team team = store.find(name).orElseThrow(() -> new NotFoundException("team", name));
    access.requireOn(TEAM_READ, TEAM_READ, "team", name, name);
    return new Details(team, store.members(name));
  }

  public Team create(String name, Boolean production) {
    return audit.change(
        "team.create",
        "team",
        name,
        c -> {
          c.team(name);
          access.require(TEAM_CREATE, null);
          new Errors().dnsLabel(name, "name", 63).throwIfAny();
          Team team =
              store.create(new Team(name, Boolean.TRUE.equals(production), clock.instant()));
          c.after(Map.of("production", team.production()));
          return team;
        });
  }

  /** Marks a team as production or not (admins). */
  public Team setProduction(String name, boolean production) {
    Team before = store.find(name).orElseThrow(() -> new NotFoundException("team", name));
    return audit.change(
        "team.update",
        "team",
        name,
        c -> {
          c.team(name)
              .before(Map.of("production", before.production()))
              .after(Map.of("production", production));
          access.requireOn(TEAM_READ, TEAM_UPDATE, "team", name, name);
          store.setProduction(name, production);
          return store.find(name).orElseThrow();
        });
  }

  /** Gives a user a role in the team (owners of the team and admins). */
  public Details setMember(String team, String user, TeamRole role) {
    get(team);
    return audit.change(
        "team.member.set",
        "team",
        team,
        c -> {
          c.team(team).detail(user + ": " + role);
          access.requireOn(TEAM_READ, TEAM_MEMBERS, "team", team, team);
          if (role == null) {
            throw ValidationException.of(
                "role", "is required: owner, developer, operator or viewer");
          }
          if (users.find(user).isEmpty()) {
            throw ValidationException.of(
                "user",
                "unknown user '" + user + "'; an admin creates users with POST /api/v1/users");
          }
          store.putMember(team, user, role, LOCAL, clock.instant());
          return get(team);
        });
  }

  /** Takes every role in the team away from a user (owners of the team and admins). */
  public void removeMember(String team, String user) {
    get(team);
    audit.change(
        "team.member.remove",
        "team",
        team,
        c -> {
          c.team(team).detail(user);
          access.requireOn(TEAM_READ, TEAM_MEMBERS, "team", team, team);
          if (store.removeMember(team, user) == 0) {
            throw new NotFoundException("member", user);
          }
          return null;
        });
  }

  /** Marks a cluster as production or not (admins). */
  public void markCluster(String cluster, boolean production) {
    audit.change(
        "cluster.update",
        "cluster",
        cluster,
        c -> {
          c.after(Map.of("production", production));
          Caller caller = access.require(CLUSTER_UPDATE, null);
          store.markCluster(cluster, production, caller.name(), clock.instant());
          return null;
        });
  }

  /** Drops the production mark of a cluster that is gone (part of its audited deletion). */
  public void forgetCluster(String cluster) {
    store.markCluster(cluster, false, "system", clock.instant());
  }

  public Set<String> productionClusters() {
    return store.productionClusters();
  }
}
