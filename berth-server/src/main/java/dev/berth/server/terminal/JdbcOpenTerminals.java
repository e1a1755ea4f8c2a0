package dev.berth.server.terminal;

import static dev.berth.server.support.jdbc.Sql.ts;

import dev.berth.server.support.jdbc.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The web terminals open now, each with the Berth that holds it, and each Berth's last sign of
 * life, over JDBC (H2 or PostgreSQL): what a Berth that starts again needs to close in the audit
 * log the terminals its stop cut.
 */
public class JdbcOpenTerminals {
  private static final String COLUMNS =
      "id, actor, via, target_kind, target_name, target_owner, team, cluster, opened_at,"
          + " berth_instance";

  /** An open terminal as stored, with the Berth that holds it. */
  public record Row(TerminalSession session, String berth) {}

  private final JdbcClient jdbc;
  private final String berth;

  /** The store as Berth {@code berth} (see {@code berth.terminal.berth-id}) writes it. */
  public JdbcOpenTerminals(JdbcClient jdbc, String berth) {
    this.jdbc = jdbc;
    this.berth = berth;
  }

  /** The id of the Berth this store writes for. */
  public String berth() {
    return berth;
  }

  /**
   * Records that this Berth holds {@code s} now; the opening is a sign of life too, so that a
   * terminal cut soon after knows how long it lasted.
   */
  public void opened(TerminalSession s) {
    alive(s.openedAt());
    TerminalTarget t = s.target();
    jdbc.sql(
            "INSERT INTO terminal_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            s.id(),
            s.actor(),
            s.via(),
            t.kind(),
            t.name(),
            t.owner(),
            t.team(),
            t.cluster(),
            ts(s.openedAt()),
            berth)
        .update();
  }

  /** Forgets session {@code id}; whether this call removed it (false when another already did). */
  public boolean closed(String id) {
    return jdbc.sql("DELETE FROM terminal_sessions WHERE id = ?").params(id).update() > 0;
  }

  /** Every stored open terminal. */
  public List<Row> all() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM terminal_sessions ORDER BY opened_at, id")
        .query(
            (rs, n) ->
                new Row(
                    new TerminalSession(
                        rs.getString("id"),
                        new TerminalTarget(
                            rs.getString("target_kind"),
                            rs.getString("target_name"),
                            rs.getString("target_owner"),
                            rs.getString("team"),
                            rs.getString("cluster")),
                        rs.getString("actor"),
                        rs.getString("via"),
                        Sql.instant(rs, "opened_at"),
                        80,
                        24),
                    rs.getString("berth_instance")))
        .list();
  }

  /** Each known Berth's last sign of life. */
  public Map<String, Instant> lastSeen() {
    return jdbc
        .sql("SELECT id, last_seen FROM berth_instances")
        .query((rs, n) -> Map.entry(rs.getString("id"), Sql.instant(rs, "last_seen")))
        .list()
        .stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** This Berth is alive at {@code now} (it started at {@code now} when it is new). */
  public void alive(Instant now) {
    int rows =
        jdbc.sql("UPDATE berth_instances SET last_seen = ? WHERE id = ?")
            .params(ts(now), berth)
            .update();
    if (rows == 0) {
      jdbc.sql("INSERT INTO berth_instances (id, started_at, last_seen) VALUES (?, ?, ?)")
          .params(berth, ts(now), ts(now))
          .update();
    }
  }
}
