package dev.berth.server.build;

import static dev.berth.server.support.jdbc.Sql.ts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.support.Page;
import dev.berth.oci.build.BuildSpec;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Builds and build templates in V8's {@code builds} and {@code build_templates} tables (V10 gave
 * builds their team). State changes are compare-and-set on the state, so a build is started at most
 * once however often it is dispatched.
 */
@Repository
public class JdbcBuildStore {
  private static final String BUILD_COLUMNS =
      "id, spec_json, team, for_template, state, digest, base, cause, reason, log_text, created_by, created_at, started_at, ended_at";
  private static final String TEMPLATE_COLUMNS =
      "name, spec_json, digest, last_build, created_by, created_at, updated_at";
  private final JdbcClient jdbc;
  private final ObjectMapper mapper;

  public JdbcBuildStore(JdbcClient jdbc, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = Sql.storeMapper(mapper);
  }

  /**
   * Stores a new queued build of {@code team} (null for a template's build) and returns it with its
   * id.
   */
  Build create(
      BuildSpec spec,
      String team,
      String forTemplate,
      String cause,
      String createdBy,
      Instant now) {
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql(
            "INSERT INTO builds (spec_json, image, base_template, team, for_template, state, cause, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            Sql.toJson(mapper, spec),
            spec.image(),
            spec.template(),
            team,
            forTemplate,
            BuildState.QUEUED.name(),
            cut(cause, 255),
            createdBy,
            ts(now))
        .update(keys, "id");
    long id = Objects.requireNonNull(keys.getKey(), "generated build id").longValue();
    if (forTemplate != null) {
      jdbc.sql("UPDATE build_templates SET last_build = ? WHERE name = ?")
          .params(id, forTemplate)
          .update();
    }
    return find(id).orElseThrow();
  }

  Optional<Build> find(long id) {
    return jdbc.sql("SELECT " + BUILD_COLUMNS + " FROM builds WHERE id = ?")
        .param(id)
        .query(this::buildRow)
        .optional();
  }

  /**
   * Newest first; without the logs. {@code teams} limits the list to builds of those teams and of
   * templates (which have none); null means every build.
   */
  Page<Build> list(String image, Set<String> teams, int page, int size) {
    List<Object> params = new ArrayList<>();
    String where = " WHERE 1 = 1";
    if (image != null && !image.isBlank()) {
      where += " AND image LIKE ? ESCAPE '!'";
      params.add(Sql.containsPattern(image.strip()));
    }
    if (teams != null) {
      String in =
          teams.isEmpty()
              ? ""
              : " OR team IN (" + String.join(", ", Collections.nCopies(teams.size(), "?")) + ")";
      params.addAll(new TreeSet<>(teams));
      where += " AND (team IS NULL" + in + ")";
    }
    List<Build> items =
        jdbc.sql(
                "SELECT "
                    + BUILD_COLUMNS.replace("log_text", "NULL AS log_text")
                    + " FROM builds"
                    + where
                    + " ORDER BY id DESC LIMIT ? OFFSET ?")
            .params(params)
            .param(size)
            .param((long) page * size)
            .query(this::buildRow)
            .list();
    long total =
        jdbc.sql("SELECT COUNT(*) FROM builds" + where).params(params).query(Long.class).single();
    return new Page<>(items, page, size, total);
  }

  /** Builds not yet ended, oldest first. */
  List<Long> unfinished() {
    return jdbc.sql("SELECT id FROM builds WHERE state IN ('QUEUED', 'RUNNING') ORDER BY id")
        .query(Long.class)
        .list();
  }

  /** Queued builds based on {@code template}, oldest first. */
  List<Long> queuedOn(String template) {
    return jdbc.sql(
            "SELECT id FROM builds WHERE state = 'QUEUED' AND base_template = ? ORDER BY id")
        .param(template)
        .query(Long.class)
        .list();
  }

  /**
   * Queued → running; false when the build was not queued (already started elsewhere, or ended).
   */
  boolean start(long id, Instant now) {
    return jdbc.sql(
                "UPDATE builds SET state = 'RUNNING', started_at = ? WHERE id = ? AND state = 'QUEUED'")
            .params(ts(now), id)
            .update()
        == 1;
  }

  /** Running (after a restart) → queued again, to be run from the start. */
  void requeue(long id) {
    jdbc.sql(
            "UPDATE builds SET state = 'QUEUED', started_at = NULL WHERE id = ? AND state = 'RUNNING'")
        .param(id)
        .update();
  }

  void succeed(long id, String digest, String base, String log, Instant now) {
    jdbc.sql(
            "UPDATE builds SET state = 'SUCCEEDED', digest = ?, base = ?, log_text = ?, ended_at = ? WHERE id = ? AND state IN ('QUEUED', 'RUNNING')")
        .params(digest, cut(base, 700), log, ts(now), id)
        .update();
  }

  void fail(long id, String reason, String base, String log, Instant now) {
    jdbc.sql(
            "UPDATE builds SET state = 'FAILED', reason = ?, base = COALESCE(?, base), log_text = ?, ended_at = ? WHERE id = ? AND state IN ('QUEUED', 'RUNNING')")
        .params(cut(reason, 2048), cut(base, 700), log, ts(now), id)
        .update();
  }

  // ------------------------------------------------------------------ templates

  /** Creates or replaces a template's spec; true when it was created. */
  boolean saveTemplate(String name, BuildSpec spec, String actor, Instant now) {
    String json = Sql.toJson(mapper, spec);
    int updated =
        jdbc.sql(
                "UPDATE build_templates SET spec_json = ?, base_template = ?, updated_at = ? WHERE name = ?")
            .params(json, spec.template(), ts(now), name)
            .update();
    if (updated == 1) {
      return false;
    }
    try {
      jdbc.sql(
              "INSERT INTO build_templates (name, spec_json, base_template, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
          .params(name, json, spec.template(), actor, ts(now), ts(now))
          .update();
      return true;
    } catch (DuplicateKeyException e) {
      return saveTemplate(name, spec, actor, now);
    }
  }

  Optional<BuildTemplate> template(String name) {
    return jdbc.sql("SELECT " + TEMPLATE_COLUMNS + " FROM build_templates WHERE name = ?")
        .param(name)
        .query(this::templateRow)
        .optional();
  }

  List<BuildTemplate> templates() {
    return jdbc.sql("SELECT " + TEMPLATE_COLUMNS + " FROM build_templates ORDER BY name")
        .query(this::templateRow)
        .list();
  }

  /** The templates based directly on {@code name}. */
  List<String> dependants(String name) {
    return jdbc.sql("SELECT name FROM build_templates WHERE base_template = ? ORDER BY name")
        .param(name)
        .query(String.class)
        .list();
  }

  void templateBuilt(String name, String digest) {
    jdbc.sql("UPDATE build_templates SET digest = ? WHERE name = ?").params(digest, name).update();
  }

  boolean deleteTemplate(String name) {
    return jdbc.sql("DELETE FROM build_templates WHERE name = ?").param(name).update() == 1;
  }

  private Build buildRow(ResultSet rs, int n) throws SQLException {
    return new Build(
        rs.getLong("id"),
        spec(rs),
        rs.getString("team"),
        rs.getString("for_template"),
        BuildState.valueOf(rs.getString("state")),
        rs.getString("digest"),
        rs.getString("base"),
        rs.getString("cause"),
        rs.getString("reason"),
        rs.getString("log_text"),
        rs.getString("created_by"),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "started_at"),
        Sql.instant(rs, "ended_at"));
  }

  private BuildTemplate templateRow(ResultSet rs, int n) throws SQLException {
    long number = rs.getLong("last_build");
    Long last = rs.wasNull() ? null : number;
    return new BuildTemplate(
        rs.getString("name"),
        spec(rs),
        rs.getString("digest"),
        last,
        rs.getString("created_by"),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"));
  }

  private BuildSpec spec(ResultSet rs) throws SQLException {
    return Sql.fromJson(mapper, rs.getString("spec_json"), mapper.constructType(BuildSpec.class));
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
