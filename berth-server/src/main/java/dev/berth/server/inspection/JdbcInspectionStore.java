package dev.berth.server.inspection;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** Finished inspections (V45). Thread-safe; every call is one statement. */
@Repository
public class JdbcInspectionStore {
  private final JdbcClient jdbc;
  private final ObjectMapper mapper;
  private final JavaType findings;

  public JdbcInspectionStore(JdbcClient jdbc, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = Sql.storeMapper(mapper);
    this.findings = this.mapper.getTypeFactory().constructCollectionType(List.class, Finding.class);
  }

  /** Stores a finished report; returns it with its id. */
  Report add(Report r) {
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql(
            "INSERT INTO inspections (cluster, trigger_kind, requested_by, started_at, finished_at, failures, warnings, findings_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            r.cluster(),
            r.trigger(),
            r.requestedBy(),
            Sql.ts(r.startedAt()),
            Sql.ts(r.finishedAt()),
            r.failures(),
            r.warnings(),
            Sql.toJson(mapper, r.findings()))
        .update(keys, "id");
    long id = keys.getKeyAs(Number.class).longValue();
    return new Report(
        id,
        r.cluster(),
        r.trigger(),
        r.requestedBy(),
        Sql.micros(r.startedAt()),
        Sql.micros(r.finishedAt()),
        r.failures(),
        r.warnings(),
        r.findings());
  }

  Optional<Report> get(String cluster, long id) {
    return jdbc.sql("SELECT * FROM inspections WHERE cluster = ? AND id = ?")
        .params(cluster, id)
        .query(this::report)
        .optional();
  }

  /** Up to {@code limit} reports of a cluster with ids below {@code before}, newest first. */
  List<Report> list(String cluster, long before, int limit) {
    return jdbc.sql(
            "SELECT id, cluster, trigger_kind, requested_by, started_at, finished_at, failures, warnings FROM inspections WHERE cluster = ? AND id < ? ORDER BY id DESC LIMIT ?")
        .params(cluster, before, limit)
        .query(this::summary)
        .list();
  }

  /** The start of the newest inspection of any cluster, if there is one. */
  Optional<Instant> lastStart() {
    return jdbc.sql("SELECT MAX(started_at) AS last FROM inspections")
        .query((rs, n) -> Optional.ofNullable(Sql.instant(rs, "last")))
        .single();
  }

  /** Deletes reports started before {@code cutoff}; returns how many. */
  int sweep(Instant cutoff) {
    return jdbc.sql("DELETE FROM inspections WHERE started_at < ?").param(Sql.ts(cutoff)).update();
  }

  private Report summary(ResultSet rs, int n) throws SQLException {
    return new Report(
        rs.getLong("id"),
        rs.getString("cluster"),
        rs.getString("trigger_kind"),
        rs.getString("requested_by"),
        Sql.instant(rs, "started_at"),
        Sql.instant(rs, "finished_at"),
        rs.getInt("failures"),
        rs.getInt("warnings"),
        null);
  }

  private Report report(ResultSet rs, int n) throws SQLException {
    Report s = summary(rs, n);
    List<Finding> f = Sql.fromJson(mapper, rs.getString("findings_json"), findings);
    return new Report(
        s.id(),
        s.cluster(),
        s.trigger(),
        s.requestedBy(),
        s.startedAt(),
        s.finishedAt(),
        s.failures(),
        s.warnings(),
        f);
  }
}
