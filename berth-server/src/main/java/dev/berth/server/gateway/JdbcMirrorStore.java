package dev.berth.server.gateway;

import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The apps' mirrors ({@code app_mirrors}): one row per mirrored app. */
public class JdbcMirrorStore {
  private static final String COLUMNS =
      "app, target, port, percent, max_body_bytes, max_p99_rise_percent, baseline_p99_seconds,"
          + " active, stopped_reason, created_by, updated_at";

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  public JdbcMirrorStore(JdbcClient jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
  }

  public Optional<Mirror> find(String app) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM app_mirrors WHERE app = ?")
        .param(app)
        .query(JdbcMirrorStore::mirror)
        .optional();
  }

  /** Every mirror, running or stopped, by app. */
  public List<Mirror> all() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM app_mirrors ORDER BY app")
        .query(JdbcMirrorStore::mirror)
        .list();
  }

  /** Stores the mirror, replacing the app's earlier one. */
  public void put(Mirror m) {
    tx.executeWithoutResult(
        s -> {
          remove(m.app());
          jdbc.sql(
                  "INSERT INTO app_mirrors ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
              .params(
                  m.app(),
                  m.target(),
                  m.port(),
                  m.percent(),
                  m.maxBodyBytes(),
                  m.maxP99RisePercent(),
                  m.baselineP99Seconds(),
                  m.active(),
                  m.stoppedReason(),
                  m.createdBy(),
                  Sql.ts(m.updatedAt()))
              .update();
        });
  }

  /** Removes the app's mirror; whether there was one. */
  public boolean remove(String app) {
    return jdbc.sql("DELETE FROM app_mirrors WHERE app = ?").param(app).update() > 0;
  }

  private static Mirror mirror(ResultSet rs, int row) throws SQLException {
    double baseline = rs.getDouble("baseline_p99_seconds");
    return new Mirror(
        rs.getString("app"),
        rs.getString("target"),
        rs.getString("port"),
        rs.getInt("percent"),
        rs.getLong("max_body_bytes"),
        rs.getInt("max_p99_rise_percent"),
        rs.wasNull() ? null : baseline,
        rs.getBoolean("active"),
        rs.getString("stopped_reason"),
        rs.getString("created_by"),
        Sql.instant(rs, "updated_at"));
  }
}
