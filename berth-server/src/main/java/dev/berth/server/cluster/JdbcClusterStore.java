package dev.berth.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.support.ConflictException;
import dev.berth.server.support.jdbc.Sql;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Registered Kubernetes clusters in V1's {@code clusters} table: {@code config} holds JSON {@code
 * {namespace, inCluster, kubeconfig}} whose kubeconfig is already sealed; {@code status} keeps the
 * last health seen.
 */
@Repository
public class JdbcClusterStore {
  static final String TYPE = "kubernetes";
  private final JdbcClient jdbc;
  private final ObjectMapper mapper;

  public JdbcClusterStore(JdbcClient jdbc, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = Sql.storeMapper(mapper);
  }

  void create(ClusterRecord c, String status) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("namespace", c.namespace());
    config.put("inCluster", c.inCluster());
    config.put("kubeconfig", c.sealedKubeconfig());
    try {
      jdbc.sql(
              "INSERT INTO clusters (name, type, zone, status, config, created_at) VALUES (?, ?, ?, ?, ?, ?)")
          .params(
              c.name(),
              TYPE,
              c.zone(),
              truncate(status),
              Sql.toJson(mapper, config),
              Sql.ts(c.createdAt()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConflictException("cluster '" + c.name() + "' already exists");
    }
  }

  List<ClusterRecord> all() {
    return jdbc.sql(
            "SELECT name, zone, config, created_at FROM clusters WHERE type = ? ORDER BY name")
        .param(TYPE)
        .query(
            (rs, n) -> {
              Map<?, ?> config =
                  Sql.fromJson(mapper, rs.getString("config"), mapper.constructType(Map.class));
              return new ClusterRecord(
                  rs.getString("name"),
                  rs.getString("zone"),
                  (String) config.get("namespace"),
                  Boolean.TRUE.equals(config.get("inCluster")),
                  (String) config.get("kubeconfig"),
                  Sql.instant(rs, "created_at"));
            })
        .list();
  }

  void updateStatus(String name, String status) {
    jdbc.sql("UPDATE clusters SET status = ? WHERE name = ?")
        .params(truncate(status), name)
        .update();
  }

  boolean delete(String name) {
    return jdbc.sql("DELETE FROM clusters WHERE name = ? AND type = ?").params(name, TYPE).update()
        > 0;
  }

  private static String truncate(String s) {
    return s.length() > 32 ? s.substring(0, 32) : s;
  }
}
