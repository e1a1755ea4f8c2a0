package dev.berth.server.team;

import static dev.berth.server.support.jdbc.Sql.instant;
import static dev.berth.server.support.jdbc.Sql.ts;

import dev.berth.core.support.ConflictException;
import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import dev.berth.server.access.TeamRoles;
import dev.berth.server.support.jdbc.Sql;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Teams, their members and the clusters marked as production, over JDBC. Checks nothing about who
 * asks ({@link TeamService} does); each method is one transaction; safe for concurrent use.
 */
@Repository
public class JdbcTeamStore implements TeamRoles {
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  public JdbcTeamStore(JdbcClient jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
  }

  /**
   * @throws ConflictException when the name is taken
   */
  public Team create(Team team) {
    Team stored = new Team(team.name(), team.production(), Sql.micros(team.createdAt()));
    try {
      jdbc.sql("INSERT INTO teams (name, production, created_at) VALUES (?, ?, ?)")
          .params(stored.name(), stored.production(), ts(stored.createdAt()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException("team '" + team.name() + "' already exists");
    }
    return stored;
  }

  public Optional<Team> find(String name) {
    return jdbc.sql("SELECT name, production, created_at FROM teams WHERE name = ?")
        .param(name)
        .query(JdbcTeamStore::team)
        .optional();
  }

  /** Teams by name; {@code names} null means all. */
  public List<Team> list(Set<String> names) {
    if (names == null) {
      return jdbc.sql("SELECT name, production, created_at FROM teams ORDER BY name")
          .query(JdbcTeamStore::team)
          .list();
    }
    return names.stream().sorted().map(this::find).flatMap(Optional::stream).toList();
  }

  /** Sets the production mark; false when the team does not exist. */
  public boolean setProduction(String name, boolean production) {
    return jdbc.sql("UPDATE teams SET production = ? WHERE name = ?")
            .params(production, name)
            .update()
        == 1;
  }

  public List<TeamMember> members(String team) {
    return jdbc.sql(
            "SELECT team, user_name, role, source FROM team_members WHERE team = ? ORDER BY user_name, source")
        .param(team)
        .query(JdbcTeamStore::member)
        .list();
  }

  /** Every grant of {@code user}, in all teams and from all sources. */
  public List<TeamMember> membershipsOf(String user) {
    return jdbc.sql(
            "SELECT team, user_name, role, source FROM team_members WHERE user_name = ? ORDER BY team, source")
        .param(user)
        .query(JdbcTeamStore::member)
        .list();
  }

  /**
   * Gives {@code user} {@code role} in {@code team} from {@code source}, replacing that source's
   * earlier role.
   */
  public void putMember(String team, String user, TeamRole role, String source, Instant now) {
    tx.executeWithoutResult(
        s -> {
          jdbc.sql("DELETE FROM team_members WHERE team = ? AND user_name = ? AND source = ?")
              .params(team, user, source)
              .update();
          jdbc.sql(
                  "INSERT INTO team_members (team, user_name, source, role, created_at) VALUES (?, ?, ?, ?, ?)")
              .params(team, user, source, role.name(), ts(now))
              .update();
        });
  }

  /** Removes every grant of {@code user} in {@code team}; returns how many there were. */
  public int removeMember(String team, String user) {
    return jdbc.sql("DELETE FROM team_members WHERE team = ? AND user_name = ?")
        .params(team, user)
        .update();
  }

  /** The user's role in each of their teams: the highest over all sources. */
  @Override
  public Map<String, TeamRole> rolesOf(String user) {
    Map<String, TeamRole> roles = new HashMap<>();
    jdbc.sql("SELECT team, role FROM team_members WHERE user_name = ?")
        .param(user)
        .query(
            (rs, row) -> {
              TeamRole role = TeamRole.valueOf(rs.getString("role"));
              roles.merge(rs.getString("team"), role, (a, b) -> a.includes(b) ? a : b);
              return null;
            })
        .list();
    return roles;
  }

  /**
   * Replaces the grants {@code user} has from {@code source} with {@code grants}, creating teams
   * that do not exist yet, atomically. Grants from other sources stay.
   */
  public void replaceGrants(String user, String source, List<TeamGrant> grants, Instant now) {
    tx.executeWithoutResult(
        s -> {
          jdbc.sql("DELETE FROM team_members WHERE user_name = ? AND source = ?")
              .params(user, source)
              .update();
          for (TeamGrant g : grants) {
            if (find(g.team()).isEmpty()) {
              jdbc.sql("INSERT INTO teams (name, production, created_at) VALUES (?, FALSE, ?)")
                  .params(g.team(), ts(now))
                  .update();
            }
            jdbc.sql("DELETE FROM team_members WHERE team = ? AND user_name = ? AND source = ?")
                .params(g.team(), user, source)
                .update();
            jdbc.sql(
                    "INSERT INTO team_members (team, user_name, source, role, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(g.team(), user, source, g.role().name(), ts(now))
                .update();
          }
        });
  }

  /** Marks or unmarks a cluster as production. */
  public void markCluster(String cluster, boolean production, String by, Instant now) {
    tx.executeWithoutResult(
        s -> {
          jdbc.sql("DELETE FROM production_clusters WHERE name = ?").param(cluster).update();
          if (production) {
            jdbc.sql(
                    "INSERT INTO production_clusters (name, marked_by, marked_at) VALUES (?, ?, ?)")
                .params(cluster, by, ts(now))
                .update();
          }
        });
  }

  public Set<String> productionClusters() {
    return new TreeSet<>(
        jdbc.sql("SELECT name FROM production_clusters").query(String.class).list());
  }

  public boolean isProductionCluster(String cluster) {
    return jdbc.sql("SELECT COUNT(*) FROM production_clusters WHERE name = ?")
            .param(cluster)
            .query(Long.class)
            .single()
        > 0;
  }

  private static Team team(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Team(rs.getString("name"), rs.getBoolean("production"), instant(rs, "created_at"));
  }

  private static TeamMember member(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new TeamMember(
        rs.getString("team"),
        rs.getString("user_name"),
        TeamRole.valueOf(rs.getString("role")),
        rs.getString("source"));
  }
}
