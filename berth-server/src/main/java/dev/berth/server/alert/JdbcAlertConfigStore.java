package dev.berth.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.alert.AlertRule;
import dev.berth.core.alert.Receiver;
import dev.berth.core.alert.Silence;
import dev.berth.core.support.ConflictException;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Alert rules, receivers and silences (V47): what people configure. Thread-safe; each call is one
 * statement.
 */
@Repository
public class JdbcAlertConfigStore {
  private final JdbcClient jdbc;
  private final ObjectMapper mapper;

  public JdbcAlertConfigStore(JdbcClient jdbc, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = Sql.storeMapper(mapper);
  }

  /** A stored rule and its version (raised by every change). */
  record StoredRule(AlertRule rule, long version) {}

  void createRule(AlertRule r, String actor, Instant now) {
    try {
      jdbc.sql(
              "INSERT INTO alert_rules (name, team, spec_json, built_in, enabled, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)")
          .params(
              r.name(),
              r.team(),
              Sql.toJson(mapper, RuleJson.of(r, null)),
              r.builtIn(),
              r.enabled(),
              actor,
              Sql.ts(now))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "an alert rule named '" + r.name() + "' already exists; choose another name");
    }
  }

  /** Replaces a rule; false when it is gone. */
  boolean updateRule(AlertRule r, String actor, Instant now) {
    return jdbc.sql(
                "UPDATE alert_rules SET team = ?, spec_json = ?, enabled = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE name = ?")
            .params(
                r.team(),
                Sql.toJson(mapper, RuleJson.of(r, null)),
                r.enabled(),
                actor,
                Sql.ts(now),
                r.name())
            .update()
        > 0;
  }

  List<StoredRule> rules() {
    return jdbc.sql("SELECT * FROM alert_rules ORDER BY name").query(this::ruleRow).list();
  }

  Optional<StoredRule> rule(String name) {
    return jdbc.sql("SELECT * FROM alert_rules WHERE name = ?")
        .param(name)
        .query(this::ruleRow)
        .optional();
  }

  boolean deleteRule(String name) {
    return jdbc.sql("DELETE FROM alert_rules WHERE name = ?").param(name).update() > 0;
  }

  private StoredRule ruleRow(ResultSet rs, int n) throws SQLException {
    RuleJson json =
        Sql.fromJson(mapper, rs.getString("spec_json"), mapper.constructType(RuleJson.class));
    return new StoredRule(
        json.toRule(rs.getBoolean("built_in"), rs.getBoolean("enabled")), rs.getLong("version"));
  }

  // ------------------------------------------------------------------ receivers

  /** Stores a receiver whose secret is already sealed. */
  void createReceiver(Receiver r, String actor, Instant now) {
    try {
      jdbc.sql(
              "INSERT INTO alert_receivers (name, team, type, url, format, recipients, sealed_secret, repeat_seconds, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(
              r.name(),
              r.team(),
              r.type().name(),
              r.url(),
              r.format() == null ? null : r.format().name(),
              r.to().isEmpty() ? null : String.join(",", r.to()),
              r.secret(),
              r.repeat().toSeconds(),
              actor,
              Sql.ts(now))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "a receiver named '" + r.name() + "' already exists; choose another name");
    }
  }

  /** Receivers with their secrets still sealed. */
  List<Receiver> receivers() {
    return jdbc.sql("SELECT * FROM alert_receivers ORDER BY name")
        .query(JdbcAlertConfigStore::receiver)
        .list();
  }

  Optional<Receiver> receiver(String name) {
    return jdbc.sql("SELECT * FROM alert_receivers WHERE name = ?")
        .param(name)
        .query(JdbcAlertConfigStore::receiver)
        .optional();
  }

  boolean deleteReceiver(String name) {
    return jdbc.sql("DELETE FROM alert_receivers WHERE name = ?").param(name).update() > 0;
  }

  private static Receiver receiver(ResultSet rs, int n) throws SQLException {
    String format = rs.getString("format");
    String to = rs.getString("recipients");
    return new Receiver(
        rs.getString("name"),
        rs.getString("team"),
        Receiver.Type.valueOf(rs.getString("type")),
        rs.getString("url"),
        format == null ? null : Receiver.Format.valueOf(format),
        to == null ? List.of() : Arrays.asList(to.split(",")),
        rs.getString("sealed_secret"),
        Duration.ofSeconds(rs.getLong("repeat_seconds")));
  }

  // ------------------------------------------------------------------ silences

  Silence createSilence(Silence s) {
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql(
            "INSERT INTO alert_silences (team, matchers_json, comment, created_by, starts_at, ends_at) VALUES (?, ?, ?, ?, ?, ?)")
        .params(
            s.team(),
            Sql.toJson(mapper, s.matchers()),
            s.comment(),
            s.createdBy(),
            Sql.ts(s.startsAt()),
            Sql.ts(s.endsAt()))
        .update(keys, "id");
    long id = Objects.requireNonNull(keys.getKey(), "generated silence id").longValue();
    return new Silence(
        id, s.matchers(), s.team(), s.comment(), s.createdBy(), s.startsAt(), s.endsAt());
  }

  List<Silence> silences() {
    return jdbc.sql("SELECT * FROM alert_silences ORDER BY id DESC").query(this::silenceRow).list();
  }

  Optional<Silence> silence(long id) {
    return jdbc.sql("SELECT * FROM alert_silences WHERE id = ?")
        .param(id)
        .query(this::silenceRow)
        .optional();
  }

  /** Ends a silence at {@code now} (if it would end later). */
  boolean expireSilence(long id, Instant now) {
    return jdbc.sql("UPDATE alert_silences SET ends_at = ? WHERE id = ? AND ends_at > ?")
            .params(Sql.ts(now), id, Sql.ts(now))
            .update()
        > 0;
  }

  private Silence silenceRow(ResultSet rs, int n) throws SQLException {
    Map<String, String> matchers =
        Sql.fromJson(
            mapper,
            rs.getString("matchers_json"),
            mapper.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    return new Silence(
        rs.getLong("id"),
        matchers,
        rs.getString("team"),
        rs.getString("comment"),
        rs.getString("created_by"),
        Sql.instant(rs, "starts_at"),
        Sql.instant(rs, "ends_at"));
  }
}
