package dev.berth.server.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.support.ConflictException;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Registries, replication rules and replication jobs (V7). Thread-safe; every call is one
 * statement.
 */
@Repository
public class JdbcImageStore {
  private final JdbcClient jdbc;
  private final ObjectMapper mapper;

  public JdbcImageStore(JdbcClient jdbc, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = Sql.storeMapper(mapper);
  }

  // ------------------------------------------------------------------ registries

  void createRegistry(RegistryRecord r) {
    try {
      jdbc.sql(
              "INSERT INTO registries (name, url, host, username, sealed_password, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
          .params(
              r.name(),
              r.url(),
              r.host(),
              r.username(),
              r.sealedPassword(),
              r.createdBy(),
              Sql.ts(r.createdAt()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "a registry named '" + r.name() + "' or at " + r.host() + " already exists");
    }
  }

  List<RegistryRecord> registries() {
    return jdbc.sql("SELECT * FROM registries ORDER BY name")
        .query(JdbcImageStore::registry)
        .list();
  }

  Optional<RegistryRecord> registry(String name) {
    return jdbc.sql("SELECT * FROM registries WHERE name = ?")
        .param(name)
        .query(JdbcImageStore::registry)
        .optional();
  }

  boolean deleteRegistry(String name) {
    return jdbc.sql("DELETE FROM registries WHERE name = ?").param(name).update() > 0;
  }

  private static RegistryRecord registry(ResultSet rs, int n) throws SQLException {
    return new RegistryRecord(
        rs.getString("name"),
        rs.getString("url"),
        rs.getString("host"),
        rs.getString("username"),
        rs.getString("sealed_password"),
        rs.getString("created_by"),
        Sql.instant(rs, "created_at"));
  }

  // ------------------------------------------------------------------ rules

  void createRule(ReplicationRule r) {
    try {
      jdbc.sql(
              "INSERT INTO replication_rules (name, source_registry, filter, targets_json, enabled, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
          .params(
              r.name(),
              r.sourceRegistry(),
              r.filter(),
              Sql.toJson(mapper, r.targets()),
              r.enabled(),
              r.createdBy(),
              Sql.ts(r.createdAt()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException("replication rule '" + r.name() + "' already exists");
    }
  }

  List<ReplicationRule> rules() {
    return jdbc.sql("SELECT * FROM replication_rules ORDER BY name").query(this::ruleRow).list();
  }

  Optional<ReplicationRule> rule(String name) {
    return jdbc.sql("SELECT * FROM replication_rules WHERE name = ?")
        .param(name)
        .query(this::ruleRow)
        .optional();
  }

  boolean deleteRule(String name) {
    return jdbc.sql("DELETE FROM replication_rules WHERE name = ?").param(name).update() > 0;
  }

  private ReplicationRule ruleRow(ResultSet rs, int n) throws SQLException {
    List<ReplicationRule.Target> targets =
        Sql.fromJson(
            mapper,
            rs.getString("targets_json"),
            mapper
                .getTypeFactory()
                .constructCollectionType(List.class, ReplicationRule.Target.class));
    return new ReplicationRule(
        rs.getString("name"),
        rs.getString("source_registry"),
        rs.getString("filter"),
        targets,
        rs.getBoolean("enabled"),
        rs.getString("created_by"),
        Sql.instant(rs, "created_at"));
  }

  // ------------------------------------------------------------------ jobs

  void startJob(ReplicationJob j) {
    jdbc.sql(
            """
        INSERT INTO replication_jobs (id, rule, trigger_kind, source, target, repository, tag, state, bytes, blobs_copied,
          blobs_skipped, attempts, pushed_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?)""")
        .params(
            j.id(),
            j.rule(),
            j.trigger(),
            cut(j.source(), 600),
            cut(j.target(), 600),
            cut(j.repository(), 255),
            j.tag(),
            j.state(),
            Sql.ts(j.pushedAt()),
            Sql.ts(j.startedAt()))
        .update();
  }

  void retrying(String id, int attempt, String reason) {
    jdbc.sql("UPDATE replication_jobs SET attempts = ?, reason = ? WHERE id = ?")
        .params(attempt, cut(reason, 2048), id)
        .update();
  }

  void finishJob(ReplicationJob j) {
    jdbc.sql(
            """
        UPDATE replication_jobs SET state = ?, digest = ?, bytes = ?, blobs_copied = ?, blobs_skipped = ?, attempts = ?, reason = ?,
          ended_at = ?, duration_ms = ?, latency_ms = ? WHERE id = ?""")
        .params(
            j.state(),
            j.digest(),
            j.bytes(),
            j.blobsCopied(),
            j.blobsSkipped(),
            j.attempts(),
            cut(j.reason(), 2048),
            Sql.ts(j.endedAt()),
            j.durationMs(),
            j.latencyMs(),
            j.id())
        .update();
  }

  /** Newest first; {@code before} (a start time) pages back. At most {@link Sql#MAX_LIMIT}. */
  List<ReplicationJob> jobs(String rule, Instant before, int limit) {
    int n = Math.max(1, Math.min(limit, Sql.MAX_LIMIT));
    if (before == null) {
      return jdbc.sql(
              "SELECT * FROM replication_jobs WHERE rule = ? ORDER BY started_at DESC, id DESC LIMIT "
                  + n)
          .param(rule)
          .query(JdbcImageStore::job)
          .list();
    }
    return jdbc.sql(
            "SELECT * FROM replication_jobs WHERE rule = ? AND started_at < ? ORDER BY started_at DESC, id DESC LIMIT "
                + n)
        .params(rule, Sql.ts(before))
        .query(JdbcImageStore::job)
        .list();
  }

  Optional<ReplicationJob> job(String id) {
    return jdbc.sql("SELECT * FROM replication_jobs WHERE id = ?")
        .param(id)
        .query(JdbcImageStore::job)
        .optional();
  }

  /** Ends jobs left running by a stopped server; returns how many. */
  int abandonRunning(Instant now, String reason) {
    return jdbc.sql(
            "UPDATE replication_jobs SET state = 'failed', reason = ?, ended_at = ? WHERE state = 'running'")
        .params(reason, Sql.ts(now))
        .update();
  }

  int deleteJobsOfRule(String rule) {
    return jdbc.sql("DELETE FROM replication_jobs WHERE rule = ?").param(rule).update();
  }

  int deleteJobsEndedBefore(Instant cutoff) {
    return jdbc.sql("DELETE FROM replication_jobs WHERE ended_at < ?")
        .param(Sql.ts(cutoff))
        .update();
  }

  private static ReplicationJob job(ResultSet rs, int n) throws SQLException {
    return new ReplicationJob(
        rs.getString("id"),
        rs.getString("rule"),
        rs.getString("trigger_kind"),
        rs.getString("source"),
        rs.getString("target"),
        rs.getString("repository"),
        rs.getString("tag"),
        rs.getString("state"),
        rs.getString("digest"),
        rs.getLong("bytes"),
        rs.getInt("blobs_copied"),
        rs.getInt("blobs_skipped"),
        rs.getInt("attempts"),
        rs.getString("reason"),
        Sql.instant(rs, "pushed_at"),
        Sql.instant(rs, "started_at"),
        Sql.instant(rs, "ended_at"),
        (Long) rs.getObject("duration_ms", Long.class),
        (Long) rs.getObject("latency_ms", Long.class));
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
