package dev.berth.server.release;

import static dev.berth.server.support.jdbc.Sql.ts;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.release.Release;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.release.ReleaseStrategy;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ReleaseStore} over JDBC (H2 or PostgreSQL): a release is one row, its JSON beside the
 * columns queries filter on ({@code app}, {@code active}); writes are guarded by {@code version}.
 * Each method is one transaction.
 */
@Repository
public class JdbcReleaseStore implements ReleaseStore {
  private static final String COLUMNS = "id, release_json, version";
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ObjectMapper mapper;
  private final JavaType releaseType;
  private final JavaType strategyType;

  public JdbcReleaseStore(
      JdbcClient jdbc, PlatformTransactionManager transactions, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
    this.mapper = Sql.storeMapper(mapper);
    this.releaseType = this.mapper.constructType(Release.class);
    this.strategyType = this.mapper.constructType(ReleaseStrategy.class);
  }

  @Override
  public Release create(Release release, Release superseded) {
    return tx.execute(
        s -> {
          if (superseded != null) {
            update(superseded);
          }
          GeneratedKeyHolder keys = new GeneratedKeyHolder();
          jdbc.sql(
                  "INSERT INTO releases (app, state, active, from_revision, to_revision, release_json,"
                      + " version, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)")
              .params(
                  release.app(),
                  release.state().toString(),
                  release.active(),
                  release.fromRevision(),
                  release.toRevision(),
                  "{}",
                  ts(release.startedAt()),
                  ts(release.updatedAt()))
              .update(keys, "id");
          long id = keys.getKey().longValue();
          Release stored = release.withId(id, 1);
          jdbc.sql("UPDATE releases SET release_json = ? WHERE id = ?")
              .params(Sql.toJson(mapper, stored), id)
              .update();
          return stored;
        });
  }

  @Override
  public Release update(Release release) {
    Release stored = release.withId(release.id(), release.version() + 1);
    int rows =
        jdbc.sql(
                "UPDATE releases SET state = ?, active = ?, release_json = ?, version = ?,"
                    + " updated_at = ? WHERE id = ? AND version = ?")
            .params(
                stored.state().toString(),
                stored.active(),
                Sql.toJson(mapper, stored),
                stored.version(),
                ts(stored.updatedAt()),
                release.id(),
                release.version())
            .update();
    if (rows == 0) {
      if (find(release.app(), release.id()).isEmpty()) {
        throw new NotFoundException("release", release.app() + "." + release.id());
      }
      throw new ConflictException(
          "release " + release.id() + " of " + release.app() + " was changed meanwhile; retry");
    }
    return stored;
  }

  @Override
  public Optional<Release> find(String app, long id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM releases WHERE app = ? AND id = ?")
        .params(app, id)
        .query(this::release)
        .optional();
  }

  @Override
  public Optional<Release> active(String app) {
    return jdbc
        .sql(
            "SELECT " + COLUMNS + " FROM releases WHERE app = ? AND active = TRUE ORDER BY id DESC")
        .param(app)
        .query(this::release)
        .list()
        .stream()
        .findFirst();
  }

  @Override
  public Optional<Release> latest(String app) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM releases WHERE app = ? ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")
        .param(app)
        .query(this::release)
        .optional();
  }

  @Override
  public Page<Release> list(String app, int page, int size) {
    List<Release> items =
        jdbc.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM releases WHERE app = ? ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")
            .params(app, (long) page * size, size)
            .query(this::release)
            .list();
    long total =
        jdbc.sql("SELECT COUNT(*) FROM releases WHERE app = ?")
            .param(app)
            .query(Long.class)
            .single();
    return new Page<>(items, page, size, total);
  }

  @Override
  public void deleteAll(String app) {
    tx.executeWithoutResult(
        s -> {
          jdbc.sql("DELETE FROM releases WHERE app = ?").param(app).update();
          jdbc.sql("DELETE FROM release_strategies WHERE app = ?").param(app).update();
        });
  }

  @Override
  public Optional<ReleaseStrategy> defaultStrategy(String app) {
    return jdbc.sql("SELECT strategy_json FROM release_strategies WHERE app = ?")
        .param(app)
        .query((rs, row) -> Sql.<ReleaseStrategy>fromJson(mapper, rs.getString(1), strategyType))
        .optional();
  }

  @Override
  public void setDefaultStrategy(String app, ReleaseStrategy strategy) {
    tx.executeWithoutResult(
        s -> {
          jdbc.sql("DELETE FROM release_strategies WHERE app = ?").param(app).update();
          if (strategy != null) {
            jdbc.sql("INSERT INTO release_strategies (app, strategy_json) VALUES (?, ?)")
                .params(app, Sql.toJson(mapper, strategy))
                .update();
          }
        });
  }

  private Release release(ResultSet rs, int row) throws SQLException {
    Release r = Sql.fromJson(mapper, rs.getString("release_json"), releaseType);
    return r.withId(rs.getLong("id"), rs.getLong("version"));
  }
}
