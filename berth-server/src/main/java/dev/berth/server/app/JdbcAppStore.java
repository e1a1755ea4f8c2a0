package dev.berth.server.app;

import static dev.berth.server.support.jdbc.Sql.instant;
import static dev.berth.server.support.jdbc.Sql.ts;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.app.App;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.AppStatus;
import dev.berth.core.app.AppStore;
import dev.berth.core.app.Revision;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import dev.berth.core.support.ValidationException;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link AppStore} over JDBC (H2 or PostgreSQL). Specs and statuses are JSON text written with the
 * application's {@link ObjectMapper}. Every method is one transaction; desired-state changes are
 * guarded by the {@code version} column ({@code UPDATE ... WHERE name = ? AND version = ?}), status
 * writes are not. {@code updated_at} is stamped with the injected clock on every desired-state
 * change.
 */
@Repository
public class JdbcAppStore implements AppStore {
  private static final String COLUMNS =
      "name, team, owner, cluster, spec_json, revision, instances, reserved_ordinals, deleting, version,"
          + " status_json, created_at, updated_at";

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final JavaType specType;
  private final JavaType statusType;
  private final JavaType ordinalsType;

  public JdbcAppStore(
      JdbcClient jdbc, PlatformTransactionManager transactions, ObjectMapper mapper, Clock clock) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
    this.mapper = Sql.storeMapper(mapper);
    this.clock = clock;
    this.specType = this.mapper.constructType(AppSpec.class);
    this.statusType = this.mapper.constructType(AppStatus.class);
    this.ordinalsType =
        this.mapper.getTypeFactory().constructCollectionType(Set.class, Integer.class);
  }

  @Override
  public App create(App app, Revision first) {
    Objects.requireNonNull(app, "app");
    requireOwnRevision(app, first);
    Instant created = Sql.micros(app.createdAt() != null ? app.createdAt() : clock.instant());
    Instant updated = Sql.micros(app.updatedAt() != null ? app.updatedAt() : created);
    App stored = app.toBuilder().version(1).createdAt(created).updatedAt(updated).build();
    try {
      tx.executeWithoutResult(
          s -> {
            jdbc.sql(
                    "INSERT INTO apps ("
                        + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                    stored.name(),
                    stored.team(),
                    stored.owner(),
                    stored.cluster(),
                    json(stored.spec()),
                    stored.revision(),
                    stored.instances(),
                    json(stored.reservedOrdinals()),
                    stored.deleting(),
                    stored.version(),
                    json(stored.status()),
                    ts(created),
                    ts(updated))
                .update();
            if (first != null) {
              insertRevision(first);
            }
          });
    } catch (DuplicateKeyException e) {
      throw new ConflictException("app '" + app.name() + "' already exists");
    }
    return stored;
  }

  @Override
  public Optional<App> find(String name) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM apps WHERE name = ?")
        .param(name)
        .query(this::app)
        .optional();
  }

  @Override
  public Page<App> list(String query, Set<String> teams, int page, int size) {
    if (page < 0) {
      throw ValidationException.of("page", "must be >= 0, was " + page);
    }
    if (size < 1 || size > Sql.MAX_LIMIT) {
      throw ValidationException.of(
          "size", "must be between 1 and " + Sql.MAX_LIMIT + ", was " + size);
    }
    boolean all = query == null || query.isBlank();
    List<Object> params = new ArrayList<>();
    String where = " WHERE 1 = 1";
    if (!all) {
      where += " AND name LIKE ? ESCAPE '!'";
      params.add(Sql.containsPattern(query.strip().toLowerCase(Locale.ROOT)));
    }
    where += Sql.teamFilter("team", teams, params);
    String filter = where;
    return tx.execute(
        s -> {
          long total =
              jdbc.sql("SELECT COUNT(*) FROM apps" + filter)
                  .params(params)
                  .query(Long.class)
                  .single();
          List<App> items =
              jdbc.sql(
                      "SELECT "
                          + COLUMNS
                          + " FROM apps"
                          + filter
                          + " ORDER BY name LIMIT ? OFFSET ?")
                  .params(params)
                  .param(size)
                  .param((long) page * size)
                  .query(this::app)
                  .list();
          return new Page<>(items, page, size, total);
        });
  }

  @Override
  public List<String> names(String cluster) {
    return jdbc.sql("SELECT name FROM apps WHERE cluster = ? ORDER BY name")
        .param(cluster)
        .query(String.class)
        .list();
  }

  @Override
  public App update(App app, long expectedVersion, Revision newRevision) {
    Objects.requireNonNull(app, "app");
    requireOwnRevision(app, newRevision);
    Instant now = Sql.micros(clock.instant());
    try {
      return tx.execute(
          s -> {
            int n =
                jdbc.sql(
                        """
                UPDATE apps SET team = ?, owner = ?, cluster = ?, spec_json = ?, revision = ?, instances = ?,
                  reserved_ordinals = ?, deleting = ?, version = version + 1, updated_at = ?
                WHERE name = ? AND version = ?""")
                    .params(
                        app.team(),
                        app.owner(),
                        app.cluster(),
                        json(app.spec()),
                        app.revision(),
                        app.instances(),
                        json(app.reservedOrdinals()),
                        app.deleting(),
                        ts(now),
                        app.name(),
                        expectedVersion)
                    .update();
            if (n == 0) {
              long current =
                  jdbc.sql("SELECT version FROM apps WHERE name = ?")
                      .param(app.name())
                      .query(Long.class)
                      .optional()
                      .orElseThrow(() -> new NotFoundException("app", app.name()));
              throw new ConflictException(
                  "app '"
                      + app.name()
                      + "' was changed by someone else (version "
                      + current
                      + ", yours "
                      + expectedVersion
                      + "); reload and retry");
            }
            if (newRevision != null) {
              insertRevision(newRevision);
            }
            return find(app.name()).orElseThrow();
          });
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "app '"
              + app.name()
              + "' already has revision "
              + newRevision.number()
              + "; reload and retry");
    }
  }

  @Override
  public void updateStatus(String name, AppStatus status) {
    jdbc.sql("UPDATE apps SET status_json = ? WHERE name = ?").params(json(status), name).update();
  }

  @Override
  public void delete(String name) {
    tx.executeWithoutResult(
        s -> {
          jdbc.sql("DELETE FROM revisions WHERE app = ?").param(name).update();
          jdbc.sql("DELETE FROM apps WHERE name = ?").param(name).update();
        });
  }

  @Override
  public List<Revision> revisions(String app) {
    return jdbc.sql(
            "SELECT app, number, spec_json, created_by, created_at, change_note FROM revisions WHERE app = ? ORDER BY number")
        .param(app)
        .query(this::revision)
        .list();
  }

  @Override
  public Optional<Revision> revision(String app, long number) {
    return jdbc.sql(
            "SELECT app, number, spec_json, created_by, created_at, change_note FROM revisions WHERE app = ? AND number = ?")
        .params(app, number)
        .query(this::revision)
        .optional();
  }

  private void insertRevision(Revision r) {
    Instant created = r.createdAt() != null ? r.createdAt() : clock.instant();
    jdbc.sql(
            "INSERT INTO revisions (app, number, spec_json, created_by, created_at, change_note)"
                + " VALUES (?, ?, ?, ?, ?, ?)")
        .params(r.app(), r.number(), json(r.spec()), r.createdBy(), ts(created), r.change())
        .update();
  }

  private static void requireOwnRevision(App app, Revision revision) {
    if (revision != null && !app.name().equals(revision.app())) {
      throw new IllegalArgumentException(
          "revision must belong to app '" + app.name() + "', was for '" + revision.app() + "'");
    }
  }

  private App app(ResultSet rs, int row) throws SQLException {
    Set<Integer> reserved = Sql.fromJson(mapper, rs.getString("reserved_ordinals"), ordinalsType);
    return App.builder()
        .name(rs.getString("name"))
        .team(rs.getString("team"))
        .owner(rs.getString("owner"))
        .cluster(rs.getString("cluster"))
        .spec(Sql.fromJson(mapper, rs.getString("spec_json"), specType))
        .revision(rs.getLong("revision"))
        .instances(rs.getInt("instances"))
        .reservedOrdinals(reserved)
        .deleting(rs.getBoolean("deleting"))
        .version(rs.getLong("version"))
        .status(Sql.fromJson(mapper, rs.getString("status_json"), statusType))
        .createdAt(instant(rs, "created_at"))
        .updatedAt(instant(rs, "updated_at"))
        .build();
  }

  private Revision revision(ResultSet rs, int row) throws SQLException {
    return new Revision(
        rs.getString("app"),
        rs.getLong("number"),
        Sql.fromJson(mapper, rs.getString("spec_json"), specType),
        rs.getString("created_by"),
        instant(rs, "created_at"),
        rs.getString("change_note"));
  }

  private String json(Object value) {
    return Sql.toJson(mapper, value);
  }
}
