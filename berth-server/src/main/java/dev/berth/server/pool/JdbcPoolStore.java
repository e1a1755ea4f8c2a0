package dev.berth.server.pool;

import static dev.berth.server.support.jdbc.Sql.ts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.node.PoolDirectory;
import dev.berth.core.support.ConflictException;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Machine pools in V60's {@code pools} table, over JDBC (H2 or PostgreSQL); also the directory that
 * app and task specs are checked against.
 */
@Repository
public class JdbcPoolStore implements PoolDirectory {
  private static final String COLUMNS =
      "cluster, name, selector_json, taint_json, updated_by, updated_at";
  private final JdbcClient jdbc;
  private final ObjectMapper mapper;

  public JdbcPoolStore(JdbcClient jdbc, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = Sql.storeMapper(mapper);
  }

  @Override
  public Set<String> names(String cluster) {
    return new TreeSet<>(
        jdbc.sql("SELECT name FROM pools WHERE cluster = ?")
            .param(cluster)
            .query(String.class)
            .list());
  }

  /** The pool's selector and taint, read when a workload on it is placed. */
  @Override
  public Optional<PoolDirectory.Definition> definition(String cluster, String pool) {
    return find(cluster, pool).map(p -> new PoolDirectory.Definition(p.selector(), p.taint()));
  }

  List<Pool> list(String cluster) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM pools WHERE cluster = ? ORDER BY name")
        .param(cluster)
        .query(this::row)
        .list();
  }

  Optional<Pool> find(String cluster, String name) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM pools WHERE cluster = ? AND name = ?")
        .params(cluster, name)
        .query(this::row)
        .optional();
  }

  /** Stores a new pool; a pool of that name in the cluster is a conflict. */
  void create(Pool p) {
    try {
      jdbc.sql("INSERT INTO pools (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")
          .params(
              p.cluster(),
              p.name(),
              Sql.toJson(mapper, p.selector()),
              p.taint() == null ? null : Sql.toJson(mapper, p.taint()),
              p.updatedBy(),
              ts(p.updatedAt()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException(
          "pool '" + p.name() + "' already exists in cluster '" + p.cluster() + "'");
    }
  }

  /** Replaces a pool's selector and taint; false when there is none of that name. */
  boolean replace(Pool p) {
    return jdbc.sql(
                "UPDATE pools SET selector_json = ?, taint_json = ?, updated_by = ?, updated_at = ?"
                    + " WHERE cluster = ? AND name = ?")
            .params(
                Sql.toJson(mapper, p.selector()),
                p.taint() == null ? null : Sql.toJson(mapper, p.taint()),
                p.updatedBy(),
                ts(p.updatedAt()),
                p.cluster(),
                p.name())
            .update()
        > 0;
  }

  boolean delete(String cluster, String name) {
    return jdbc.sql("DELETE FROM pools WHERE cluster = ? AND name = ?")
            .params(cluster, name)
            .update()
        > 0;
  }

  private Pool row(ResultSet rs, int n) throws SQLException {
    String taint = rs.getString("taint_json");
    return new Pool(
        rs.getString("cluster"),
        rs.getString("name"),
        Sql.fromJson(
            mapper,
            rs.getString("selector_json"),
            mapper.getTypeFactory().constructType(new TypeReference<Map<String, String>>() {})),
        taint == null
            ? null
            : Sql.fromJson(mapper, taint, mapper.constructType(NodeInfo.Taint.class)),
        rs.getString("updated_by"),
        Sql.instant(rs, "updated_at"));
  }
}
