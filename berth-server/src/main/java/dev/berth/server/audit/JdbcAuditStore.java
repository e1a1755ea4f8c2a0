package dev.berth.server.audit;

import static dev.berth.server.support.jdbc.Sql.instant;
import static dev.berth.server.support.jdbc.Sql.ts;

import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The audit log over JDBC: append and search, nothing else. There is no update or delete here, and
 * the database refuses them too (migration V6_1). Searches page by id (keyset), on indexes per
 * actor, object, action and time.
 */
@Repository
public class JdbcAuditStore {
  private static final String COLUMNS =
      "id, time, actor, via, action, object_kind, object_name, team, result, detail, remote_address, user_agent, before_json, after_json";

  private final JdbcClient jdbc;

  public JdbcAuditStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public AuditEntry append(AuditEntry e) {
    AuditEntry stored =
        new AuditEntry(
            0,
            Sql.micros(Objects.requireNonNull(e.time(), "time")),
            cap(e.actor(), 255),
            cap(e.via(), 64),
            cap(e.action(), 63),
            cap(e.objectKind(), 63),
            cap(e.objectName(), 255),
            cap(e.team(), 63),
            cap(e.result(), 16),
            cap(e.detail(), 2048),
            cap(e.remoteAddress(), 64),
            cap(e.userAgent(), 512),
            clean(e.before()),
            clean(e.after()));
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql(
            "INSERT INTO audit (time, actor, via, action, object_kind, object_name, team, result, detail, remote_address, user_agent, before_json, after_json)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            ts(stored.time()),
            stored.actor(),
            stored.via(),
            stored.action(),
            stored.objectKind(),
            stored.objectName(),
            stored.team(),
            stored.result(),
            stored.detail(),
            stored.remoteAddress(),
            stored.userAgent(),
            stored.before(),
            stored.after())
        .update(keys, "id");
    return stored.withId(Objects.requireNonNull(keys.getKey(), "generated audit id").longValue());
  }

  public List<AuditEntry> query(AuditQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (q.actor() != null) {
      sql.append(" AND actor = ?");
      params.add(q.actor());
    }
    if (q.object() != null) {
      int slash = q.object().indexOf('/');
      if (slash >= 0) {
        sql.append(" AND object_kind = ? AND object_name = ?");
        params.add(q.object().substring(0, slash));
        params.add(q.object().substring(slash + 1));
      } else {
        sql.append(" AND object_name = ?");
        params.add(q.object());
      }
    }
    if (q.action() != null) {
      if (q.action().endsWith(".")) {
        sql.append(" AND action LIKE ? ESCAPE '!'");
        params.add(q.action().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
      } else {
        sql.append(" AND action = ?");
        params.add(q.action());
      }
    }
    if (q.since() != null) {
      sql.append(" AND time >= ?");
      params.add(ts(q.since()));
    }
    if (q.beforeId() > 0) {
      sql.append(" AND id < ?");
      params.add(q.beforeId());
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    params.add(Math.max(1, Math.min(q.limit(), Sql.MAX_LIMIT)));
    return jdbc.sql(sql.toString()).params(params).query(JdbcAuditStore::entry).list();
  }

  /**
   * One line of at most {@code max} characters, control characters replaced (NUL would break
   * PostgreSQL's TEXT).
   */
  static String cap(String s, int max) {
    if (s == null) {
      return null;
    }
    String clean = s.replaceAll("\\p{Cc}", "?");
    return clean.length() <= max ? clean : clean.substring(0, max - 1) + "…";
  }

  /** Without control characters other than line breaks and tabs. */
  private static String clean(String s) {
    return s == null ? null : s.replaceAll("[\\p{Cc}&&[^\\n\\t]]", "?");
  }

  private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
    return new AuditEntry(
        rs.getLong("id"),
        instant(rs, "time"),
        rs.getString("actor"),
        rs.getString("via"),
        rs.getString("action"),
        rs.getString("object_kind"),
        rs.getString("object_name"),
        rs.getString("team"),
        rs.getString("result"),
        rs.getString("detail"),
        rs.getString("remote_address"),
        rs.getString("user_agent"),
        rs.getString("before_json"),
        rs.getString("after_json"));
  }
}
