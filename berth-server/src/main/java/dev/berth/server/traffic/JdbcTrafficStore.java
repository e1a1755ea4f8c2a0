package dev.berth.server.traffic;

import static dev.berth.server.support.jdbc.Sql.ts;

import dev.berth.core.traffic.EndpointState;
import dev.berth.server.support.jdbc.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The instances taken out of traffic ({@code instance_traffic}): one row per marked instance, none
 * for an online one; and the weights set by hand ({@code instance_weight}), none for an instance
 * that weighs the default. Rows go with their app (foreign key, on delete cascade).
 */
@Repository
public class JdbcTrafficStore {
  private static final String COLUMNS = "app, instance, state, since, actor";

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  public JdbcTrafficStore(JdbcClient jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
  }

  /** The marks of an app's instances, by instance id. */
  public Map<String, TrafficMark> marks(String app) {
    Map<String, TrafficMark> marks = new LinkedHashMap<>();
    for (TrafficMark m :
        jdbc.sql("SELECT " + COLUMNS + " FROM instance_traffic WHERE app = ? ORDER BY instance")
            .param(app)
            .query(JdbcTrafficStore::mark)
            .list()) {
      marks.put(m.instance(), m);
    }
    return marks;
  }

  public Optional<TrafficMark> find(String app, String instance) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM instance_traffic WHERE app = ? AND instance = ?")
        .params(app, instance)
        .query(JdbcTrafficStore::mark)
        .optional();
  }

  /** Every mark (after a restart, to put them back where a runtime holds them too). */
  public List<TrafficMark> all() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM instance_traffic ORDER BY app, instance")
        .query(JdbcTrafficStore::mark)
        .list();
  }

  /** Stores the mark, replacing the instance's earlier one. */
  public void put(TrafficMark mark) {
    tx.executeWithoutResult(
        s -> {
          remove(mark.app(), mark.instance());
          jdbc.sql("INSERT INTO instance_traffic (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")
              .params(
                  mark.app(),
                  mark.instance(),
                  mark.state().name().toLowerCase(Locale.ROOT),
                  ts(mark.since()),
                  mark.actor())
              .update();
        });
  }

  /** Removes the instance's mark; whether there was one. */
  public boolean remove(String app, String instance) {
    return jdbc.sql("DELETE FROM instance_traffic WHERE app = ? AND instance = ?")
            .params(app, instance)
            .update()
        > 0;
  }

  /** The weights set by hand on an app's instances, by instance id. */
  public Map<String, Integer> weights(String app) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    jdbc.sql("SELECT instance, weight FROM instance_weight WHERE app = ? ORDER BY instance")
        .param(app)
        .query((rs, row) -> weights.put(rs.getString("instance"), rs.getInt("weight")))
        .list();
    return weights;
  }

  /** Stores the instance's weight, replacing the earlier one. */
  public void putWeight(String app, String instance, int weight, Instant since, String actor) {
    tx.executeWithoutResult(
        s -> {
          jdbc.sql("DELETE FROM instance_weight WHERE app = ? AND instance = ?")
              .params(app, instance)
              .update();
          jdbc.sql(
                  "INSERT INTO instance_weight (app, instance, weight, since, actor)"
                      + " VALUES (?, ?, ?, ?, ?)")
              .params(app, instance, weight, ts(since), actor)
              .update();
        });
  }

  private static TrafficMark mark(ResultSet rs, int row) throws SQLException {
    return new TrafficMark(
        rs.getString("app"),
        rs.getString("instance"),
        EndpointState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
        Sql.instant(rs, "since"),
        rs.getString("actor"));
  }
}
