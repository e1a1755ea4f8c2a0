package dev.berth.server.pipeline;

import static dev.berth.server.support.jdbc.Sql.ts;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Page;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pipelines and promotions over JDBC (H2 or PostgreSQL): each a row with its JSON beside the
 * columns queries filter on; a promotion's writes are guarded by its {@code version}, so two people
 * deciding at once cannot both start its release. Each method is one transaction.
 */
@Repository
public class JdbcPipelineStore {
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ObjectMapper mapper;
  private final JavaType pipelineType;
  private final JavaType promotionType;

  public JdbcPipelineStore(
      JdbcClient jdbc, PlatformTransactionManager transactions, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
    this.mapper = Sql.storeMapper(mapper);
    this.pipelineType = this.mapper.constructType(Pipeline.class);
    this.promotionType = this.mapper.constructType(Promotion.class);
  }

  /**
   * @throws ConflictException when a pipeline of that name exists
   */
  public Pipeline create(Pipeline p) {
    try {
      jdbc.sql("INSERT INTO pipelines (name, team, pipeline_json, created_at) VALUES (?, ?, ?, ?)")
          .params(p.name(), p.team(), Sql.toJson(mapper, p), ts(p.createdAt()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "a pipeline named '" + p.name() + "' exists; choose another name or delete it first");
    }
    return p;
  }

  public Optional<Pipeline> find(String name) {
    return jdbc.sql("SELECT pipeline_json FROM pipelines WHERE name = ?")
        .param(name)
        .query((rs, row) -> Sql.<Pipeline>fromJson(mapper, rs.getString(1), pipelineType))
        .optional();
  }

  /** Every pipeline, by name (there are few; callers filter what a person may read). */
  public List<Pipeline> all() {
    return jdbc.sql("SELECT pipeline_json FROM pipelines ORDER BY name")
        .query((rs, row) -> Sql.<Pipeline>fromJson(mapper, rs.getString(1), pipelineType))
        .list();
  }

  /** Removes the pipeline and its promotions; false when there was none. */
  public boolean delete(String name) {
    return Boolean.TRUE.equals(
        tx.execute(
            s -> {
              jdbc.sql("DELETE FROM promotions WHERE pipeline = ?").param(name).update();
              return jdbc.sql("DELETE FROM pipelines WHERE name = ?").param(name).update() > 0;
            }));
  }

  /** Stores a new promotion and returns it with its id and version 1. */
  public Promotion create(Promotion p) {
    return tx.execute(
        s -> {
          GeneratedKeyHolder keys = new GeneratedKeyHolder();
          jdbc.sql(
                  "INSERT INTO promotions (pipeline, state, promotion_json, version, requested_at)"
                      + " VALUES (?, ?, '{}', 1, ?)")
              .params(p.pipeline(), p.state().toString(), ts(p.requestedAt()))
              .update(keys, "id");
          Promotion stored = p.withId(keys.getKey().longValue(), 1);
          jdbc.sql("UPDATE promotions SET promotion_json = ? WHERE id = ?")
              .params(Sql.toJson(mapper, stored), stored.id())
              .update();
          return stored;
        });
  }

  /**
   * Writes {@code p} when its stored version is still {@code p.version()}.
   *
   * @throws ConflictException when someone changed it meanwhile
   */
  public Promotion update(Promotion p) {
    Promotion stored = p.withId(p.id(), p.version() + 1);
    int rows =
        jdbc.sql(
                "UPDATE promotions SET state = ?, promotion_json = ?, version = ?"
                    + " WHERE id = ? AND version = ?")
            .params(
                stored.state().toString(),
                Sql.toJson(mapper, stored),
                stored.version(),
                p.id(),
                p.version())
            .update();
    if (rows == 0) {
      throw new ConflictException(
          "promotion "
              + p.id()
              + " of pipeline "
              + p.pipeline()
              + " was changed meanwhile; reload");
    }
    return stored;
  }

  public Optional<Promotion> promotion(String pipeline, long id) {
    return jdbc.sql(
            "SELECT id, promotion_json, version FROM promotions WHERE pipeline = ? AND id = ?")
        .params(pipeline, id)
        .query(this::promotion)
        .optional();
  }

  /** A pipeline's promotions, newest first. */
  public Page<Promotion> promotions(String pipeline, int page, int size) {
    List<Promotion> items =
        jdbc.sql(
                "SELECT id, promotion_json, version FROM promotions WHERE pipeline = ?"
                    + " ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")
            .params(pipeline, (long) page * size, size)
            .query(this::promotion)
            .list();
    long total =
        jdbc.sql("SELECT COUNT(*) FROM promotions WHERE pipeline = ?")
            .param(pipeline)
            .query(Long.class)
            .single();
    return new Page<>(items, page, size, total);
  }

  /** Promotions approved whose release may not have started (Berth stopped in between). */
  public List<Promotion> approved() {
    return jdbc.sql("SELECT id, promotion_json, version FROM promotions WHERE state = ?")
        .param(PromotionState.APPROVED.toString())
        .query(this::promotion)
        .list();
  }

  private Promotion promotion(ResultSet rs, int row) throws SQLException {
    Promotion p = Sql.fromJson(mapper, rs.getString("promotion_json"), promotionType);
    return p.withId(rs.getLong("id"), rs.getLong("version"));
  }
}
