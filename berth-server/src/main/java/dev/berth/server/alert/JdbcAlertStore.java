package dev.berth.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.alert.Alert;
import dev.berth.core.alert.NotificationPlan;
import dev.berth.core.alert.Severity;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Alerts, what each receiver was sent of them, and the delivery outbox (V48, V49): the evaluator's
 * state. Thread-safe.
 */
@Repository
public class JdbcAlertStore {
  private final JdbcClient jdbc;
  private final ObjectMapper mapper;
  private final TransactionTemplate tx;

  public JdbcAlertStore(
      JdbcClient jdbc, ObjectMapper mapper, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.mapper = Sql.storeMapper(mapper);
    this.tx = new TransactionTemplate(transactions);
  }

  /** A message waiting in or gone through the outbox. */
  record Delivery(
      long id,
      String receiver,
      String group,
      String status,
      String payload,
      int attempts,
      String lastResult,
      Instant createdAt,
      Instant updatedAt) {}

  /** Inserts a new alert or updates a stored one; answers it with its id. */
  Alert save(Alert a) {
    if (a.id() == 0) {
      KeyHolder keys = new GeneratedKeyHolder();
      jdbc.sql(
              "INSERT INTO alerts (rule, fingerprint, labels_json, team, severity, state, last_value, summary, active_since, fired_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(
              a.rule(),
              a.fingerprint(),
              Sql.toJson(mapper, a.labels()),
              a.team(),
              a.severity().name(),
              a.state().name(),
              a.value(),
              a.summary(),
              Sql.ts(a.activeSince()),
              Sql.ts(a.firedAt()),
              Sql.ts(a.resolvedAt()))
          .update(keys, "id");
      return a.withId(Objects.requireNonNull(keys.getKey(), "generated alert id").longValue());
    }
    jdbc.sql(
            "UPDATE alerts SET state = ?, last_value = ?, fired_at = ?, resolved_at = ? WHERE id = ?")
        .params(a.state().name(), a.value(), Sql.ts(a.firedAt()), Sql.ts(a.resolvedAt()), a.id())
        .update();
    return a;
  }

  void delete(long id) {
    jdbc.sql("DELETE FROM alerts WHERE id = ?").param(id).update();
  }

  /** Pending and firing alerts. */
  List<Alert> open() {
    return jdbc.sql("SELECT * FROM alerts WHERE state IN ('PENDING', 'FIRING') ORDER BY id")
        .query(this::alert)
        .list();
  }

  /** Firing alerts, and resolved ones some receiver got the firing of but not yet the resolved. */
  List<Alert> toNotify() {
    return jdbc.sql(
            "SELECT * FROM alerts a WHERE a.state = 'FIRING' OR (a.state = 'RESOLVED' AND EXISTS"
                + " (SELECT 1 FROM alert_sent s WHERE s.alert_id = a.id AND s.firing_at IS NOT NULL"
                + " AND NOT s.resolved)) ORDER BY a.id")
        .query(this::alert)
        .list();
  }

  /** Newest first; {@code state} null: every state. */
  List<Alert> list(String state, int limit) {
    String where =
        state == null ? "" : " WHERE state = '" + Alert.State.valueOf(state).name() + "'";
    return jdbc.sql("SELECT * FROM alerts" + where + " ORDER BY id DESC FETCH FIRST ? ROWS ONLY")
        .param(limit)
        .query(this::alert)
        .list();
  }

  Optional<Alert> find(long id) {
    return jdbc.sql("SELECT * FROM alerts WHERE id = ?").param(id).query(this::alert).optional();
  }

  /** Deletes resolved alerts older than {@code cutoff}. */
  int deleteResolvedBefore(Instant cutoff) {
    return jdbc.sql("DELETE FROM alerts WHERE state = 'RESOLVED' AND resolved_at < ?")
        .param(Sql.ts(cutoff))
        .update();
  }

  private Alert alert(ResultSet rs, int n) throws SQLException {
    Map<String, String> labels =
        Sql.fromJson(
            mapper,
            rs.getString("labels_json"),
            mapper.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    return new Alert(
        rs.getLong("id"),
        rs.getString("rule"),
        rs.getString("fingerprint"),
        labels,
        rs.getString("team"),
        Severity.valueOf(rs.getString("severity")),
        Alert.State.valueOf(rs.getString("state")),
        rs.getDouble("last_value"),
        rs.getString("summary"),
        Sql.instant(rs, "active_since"),
        Sql.instant(rs, "fired_at"),
        Sql.instant(rs, "resolved_at"));
  }

  // ------------------------------------------------------------------ sent marks

  /** What {@code receiver} was sent of each alert. */
  Map<Long, NotificationPlan.Sent> sent(String receiver) {
    Map<Long, NotificationPlan.Sent> out = new HashMap<>();
    jdbc.sql("SELECT * FROM alert_sent WHERE receiver = ?")
        .param(receiver)
        .query(
            rs -> {
              out.put(
                  rs.getLong("alert_id"),
                  new NotificationPlan.Sent(
                      Sql.instant(rs, "firing_at"), rs.getBoolean("resolved")));
            });
    return out;
  }

  /**
   * Queues a message in the outbox and records what the receiver has now been sent, in one
   * transaction; answers the delivery's id.
   */
  long enqueue(
      String receiver,
      String group,
      String payload,
      Map<Long, NotificationPlan.Sent> marks,
      Instant now) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              KeyHolder keys = new GeneratedKeyHolder();
              jdbc.sql(
                      "INSERT INTO alert_deliveries (receiver, group_name, status, payload_json, attempts, created_at, updated_at) VALUES (?, ?, 'queued', ?, 0, ?, ?)")
                  .params(receiver, group, payload, Sql.ts(now), Sql.ts(now))
                  .update(keys, "id");
              long id = Objects.requireNonNull(keys.getKey()).longValue();
              marks.forEach(
                  (alertId, sent) -> {
                    int updated =
                        jdbc.sql(
                                "UPDATE alert_sent SET firing_at = ?, resolved = ? WHERE alert_id = ? AND receiver = ?")
                            .params(Sql.ts(sent.firingAt()), sent.resolved(), alertId, receiver)
                            .update();
                    if (updated == 0) {
                      jdbc.sql(
                              "INSERT INTO alert_sent (alert_id, receiver, firing_at, resolved) VALUES (?, ?, ?, ?)")
                          .params(alertId, receiver, Sql.ts(sent.firingAt()), sent.resolved())
                          .update();
                    }
                    jdbc.sql(
                            "INSERT INTO alert_delivery_alerts (delivery_id, alert_id) VALUES (?, ?)")
                        .params(id, alertId)
                        .update();
                  });
              return id;
            }));
  }

  // ------------------------------------------------------------------ outbox

  void recordAttempt(long id, String status, int attempts, String result, Instant now) {
    jdbc.sql(
            "UPDATE alert_deliveries SET status = ?, attempts = ?, last_result = ?, updated_at = ? WHERE id = ?")
        .params(status, attempts, truncate(result), Sql.ts(now), id)
        .update();
  }

  /** Deliveries still queued (after a restart: to be sent again). */
  List<Delivery> queued() {
    return jdbc.sql("SELECT * FROM alert_deliveries WHERE status = 'queued' ORDER BY id")
        .query(JdbcAlertStore::delivery)
        .list();
  }

  Optional<Delivery> delivery(long id) {
    return jdbc.sql("SELECT * FROM alert_deliveries WHERE id = ?")
        .param(id)
        .query(JdbcAlertStore::delivery)
        .optional();
  }

  /** The deliveries that carried {@code alertId}, oldest first. */
  List<Delivery> deliveriesOf(long alertId) {
    return jdbc.sql(
            "SELECT d.* FROM alert_deliveries d JOIN alert_delivery_alerts l ON l.delivery_id = d.id WHERE l.alert_id = ? ORDER BY d.id")
        .param(alertId)
        .query(JdbcAlertStore::delivery)
        .list();
  }

  private static Delivery delivery(ResultSet rs, int n) throws SQLException {
    return new Delivery(
        rs.getLong("id"),
        rs.getString("receiver"),
        rs.getString("group_name"),
        rs.getString("status"),
        rs.getString("payload_json"),
        rs.getInt("attempts"),
        rs.getString("last_result"),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"));
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 997) + "...";
  }
}
