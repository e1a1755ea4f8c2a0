package dev.berth.server.event;

import static dev.berth.server.support.jdbc.Sql.instant;
import static dev.berth.server.support.jdbc.Sql.ts;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventStore;
import dev.berth.core.event.EventType;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * {@link EventStore} over JDBC. The object filter takes {@code kind/name} (exactly that object; for
 * {@code app/<name>} also the events of its instances), or a bare name (events whose name or app is
 * that name). Ids come from the {@code events.id} identity, so "newest first" is "highest id first"
 * and {@code beforeId} pages backwards without gaps or repeats. The type is stored as the enum
 * constant's name ({@code NORMAL}, {@code WARNING}).
 */
@Repository
public class JdbcEventStore implements EventStore {
  /** How many events a query returns when it asks for none or a negative number. */
  public static final int DEFAULT_LIMIT = 100;

  private static final String COLUMNS = "id, time, cluster, kind, name, app, type, reason, message";

  private final JdbcClient jdbc;

  public JdbcEventStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Event append(Event event) {
    Objects.requireNonNull(event.time(), "event time");
    Objects.requireNonNull(event.type(), "event type");
    Event stored =
        new Event(
            0,
            Sql.micros(event.time()),
            event.cluster(),
            event.kind(),
            event.name(),
            event.app(),
            event.type(),
            event.reason(),
            event.message());
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql(
            "INSERT INTO events (time, cluster, kind, name, app, type, reason, message, team) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            ts(stored.time()),
            stored.cluster(),
            stored.kind(),
            stored.name(),
            stored.app(),
            stored.type().name(),
            stored.reason(),
            stored.message(),
            teamOf(stored.app()))
        .update(keys, "id");
    return stored.withId(Objects.requireNonNull(keys.getKey(), "generated event id").longValue());
  }

  /**
   * The team an event belongs to: that of the app or task it is about ({@code app} names either, as
   * they share one name space), or of the newest earlier event about it once the app or task is
   * gone; none for events of clusters and nodes.
   */
  public String teamOf(String app) {
    if (app == null) {
      return null;
    }
    return jdbc.sql(
            """
            SELECT COALESCE(
              (SELECT team FROM apps WHERE name = ?),
              (SELECT team FROM tasks WHERE name = ?),
              (SELECT team FROM events WHERE id = (SELECT MAX(id) FROM events WHERE app = ?)))""")
        .params(app, app, app)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  @Override
  public List<Event> query(EventQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM events WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    String object = q.object();
    if (object != null && !object.isBlank()) {
      object = object.strip();
      int slash = object.indexOf('/');
      if (slash >= 0 && object.substring(0, slash).equals("app")) {
        sql.append(" AND ((kind = 'app' AND name = ?) OR app = ?)");
        params.add(object.substring(slash + 1));
        params.add(object.substring(slash + 1));
      } else if (slash >= 0) {
        sql.append(" AND kind = ? AND name = ?");
        params.add(object.substring(0, slash));
        params.add(object.substring(slash + 1));
      } else {
        sql.append(" AND (name = ? OR app = ?)");
        params.add(object);
        params.add(object);
      }
    }
    if (q.type() != null) {
      sql.append(" AND type = ?");
      params.add(q.type().name());
    }
    if (q.since() != null) {
      sql.append(" AND time >= ?");
      params.add(ts(q.since()));
    }
    if (q.beforeId() > 0) {
      sql.append(" AND id < ?");
      params.add(q.beforeId());
    }
    if (q.teams() != null) {
      // Events of no team (clusters, nodes) are everyone's.
      List<Object> teamParams = new ArrayList<>();
      String in = Sql.teamFilter("team", q.teams(), teamParams).replaceFirst("^ AND ", "");
      sql.append(" AND (team IS NULL OR ").append(in).append(")");
      params.addAll(teamParams);
    }
    int limit = q.limit() <= 0 ? DEFAULT_LIMIT : Math.min(q.limit(), Sql.MAX_LIMIT);
    sql.append(" ORDER BY id DESC LIMIT ?");
    params.add(limit);
    return jdbc.sql(sql.toString()).params(params).query(JdbcEventStore::event).list();
  }

  @Override
  public int deleteOlderThan(Instant cutoff) {
    return jdbc.sql("DELETE FROM events WHERE time < ?").param(ts(cutoff)).update();
  }

  private static Event event(ResultSet rs, int row) throws SQLException {
    return new Event(
        rs.getLong("id"),
        instant(rs, "time"),
        rs.getString("cluster"),
        rs.getString("kind"),
        rs.getString("name"),
        rs.getString("app"),
        EventType.valueOf(rs.getString("type")),
        rs.getString("reason"),
        rs.getString("message"));
  }
}
