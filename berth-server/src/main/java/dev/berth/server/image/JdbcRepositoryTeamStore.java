package dev.berth.server.image;

import dev.berth.core.support.ConflictException;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Repository prefixes per team and registry (V71); a registry's removal removes its prefixes.
 * Thread-safe; every call is one statement.
 */
@Repository
public class JdbcRepositoryTeamStore {
  private final JdbcClient jdbc;

  public JdbcRepositoryTeamStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The prefixes of one registry, by prefix. */
  List<RepositoryTeam> list(String registry) {
    return jdbc.sql("SELECT * FROM repository_teams WHERE registry = ? ORDER BY prefix")
        .param(registry)
        .query(JdbcRepositoryTeamStore::mapping)
        .list();
  }

  /** Stores a new prefix; a 409 when the registry maps it already. */
  void create(RepositoryTeam m) {
    try {
      jdbc.sql(
              "INSERT INTO repository_teams (registry, prefix, team, created_by, created_at) VALUES (?, ?, ?, ?, ?)")
          .params(m.registry(), m.prefix(), m.team(), m.createdBy(), Sql.ts(m.createdAt()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "registry '"
              + m.registry()
              + "' maps prefix '"
              + m.prefix()
              + "' already; remove it first to give it to another team");
    }
  }

  boolean delete(String registry, String prefix) {
    return jdbc.sql("DELETE FROM repository_teams WHERE registry = ? AND prefix = ?")
            .params(registry, prefix)
            .update()
        > 0;
  }

  private static RepositoryTeam mapping(ResultSet rs, int n) throws SQLException {
    return new RepositoryTeam(
        rs.getString("registry"),
        rs.getString("prefix"),
        rs.getString("team"),
        rs.getString("created_by"),
        Sql.instant(rs, "created_at"));
  }
}
