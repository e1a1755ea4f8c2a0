package dev.berth.server.node;

import static dev.berth.server.support.jdbc.Sql.ts;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.node.Drain;
import dev.berth.core.node.DrainStore;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The latest drain per node over JDBC (H2 or PostgreSQL), its per-instance progress as JSON. */
@Repository
public class JdbcDrainStore implements DrainStore {
  private static final String COLUMNS =
      "cluster, node, surge, started_at, deadline, state, ended_at, actor, items_json";
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ObjectMapper mapper;
  private final JavaType itemsType;

  public JdbcDrainStore(
      JdbcClient jdbc, PlatformTransactionManager transactions, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
    this.mapper = Sql.storeMapper(mapper);
    this.itemsType =
        this.mapper.getTypeFactory().constructCollectionType(List.class, Drain.Item.class);
  }

  @Override
  public void save(Drain d) {
    String items = Sql.toJson(mapper, d.instances());
    tx.executeWithoutResult(
        s -> {
          int rows =
              jdbc.sql(
                      "UPDATE node_drains SET surge = ?, started_at = ?, deadline = ?, state = ?,"
                          + " ended_at = ?, actor = ?, items_json = ? WHERE cluster = ? AND node = ?")
                  .params(
                      d.surge(),
                      ts(d.startedAt()),
                      ts(d.deadline()),
                      d.state().toString(),
                      d.endedAt() == null ? null : ts(d.endedAt()),
                      d.actor(),
                      items,
                      d.cluster(),
                      d.node())
                  .update();
          if (rows == 0) {
            jdbc.sql("INSERT INTO node_drains (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                    d.cluster(),
                    d.node(),
                    d.surge(),
                    ts(d.startedAt()),
                    ts(d.deadline()),
                    d.state().toString(),
                    d.endedAt() == null ? null : ts(d.endedAt()),
                    d.actor(),
                    items)
                .update();
          }
        });
  }

  @Override
  public Optional<Drain> find(String cluster, String node) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM node_drains WHERE cluster = ? AND node = ?")
        .params(cluster, node)
        .query((rs, n) -> drain(rs))
        .optional();
  }

  @Override
  public List<Drain> running() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM node_drains WHERE state = ?")
        .param(Drain.State.RUNNING.toString())
        .query((rs, n) -> drain(rs))
        .list();
  }

  private Drain drain(ResultSet rs) throws SQLException {
    return new Drain(
        rs.getString("cluster"),
        rs.getString("node"),
        rs.getBoolean("surge"),
        Sql.instant(rs, "started_at"),
        Sql.instant(rs, "deadline"),
        Drain.State.parse(rs.getString("state")),
        Sql.instant(rs, "ended_at"),
        rs.getString("actor"),
        Sql.fromJson(mapper, rs.getString("items_json"), itemsType));
  }
}
