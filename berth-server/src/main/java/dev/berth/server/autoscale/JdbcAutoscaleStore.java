package dev.berth.server.autoscale;

import static dev.berth.server.support.jdbc.Sql.ts;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.autoscale.AutoscalePolicy;
import dev.berth.core.autoscale.AutoscaleState;
import dev.berth.core.autoscale.Decision;
import dev.berth.server.support.jdbc.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Autoscaling policies with the autoscaler's state, and the recent decisions per app (newest first,
 * at most {@code keep} per app), over JDBC (H2 or PostgreSQL).
 */
@Repository
public class JdbcAutoscaleStore {
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final ObjectMapper mapper;
  private final JavaType policyType;
  private final JavaType stateType;
  private final JavaType decisionType;

  /** A stored policy, its state, and who set it when. */
  public record Stored(
      String app,
      AutoscalePolicy policy,
      AutoscaleState state,
      String updatedBy,
      Instant updatedAt) {}

  public JdbcAutoscaleStore(
      JdbcClient jdbc, PlatformTransactionManager transactions, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
    this.mapper = Sql.storeMapper(mapper);
    this.policyType = this.mapper.constructType(AutoscalePolicy.class);
    this.stateType = this.mapper.constructType(AutoscaleState.class);
    this.decisionType = this.mapper.constructType(Decision.class);
  }

  public Optional<Stored> find(String app) {
    return jdbc.sql(
            "SELECT app, policy_json, state_json, updated_by, updated_at FROM autoscale_policies"
                + " WHERE app = ?")
        .param(app)
        .query(
            (rs, n) ->
                new Stored(
                    rs.getString("app"),
                    Sql.fromJson(mapper, rs.getString("policy_json"), policyType),
                    Sql.fromJson(mapper, rs.getString("state_json"), stateType),
                    rs.getString("updated_by"),
                    Sql.instant(rs, "updated_at")))
        .optional();
  }

  /** The apps with a policy. */
  public List<String> apps() {
    return jdbc.sql("SELECT app FROM autoscale_policies ORDER BY app").query(String.class).list();
  }

  /** Sets the policy; the remembered state stays (a changed policy keeps its windows). */
  public void put(String app, AutoscalePolicy policy, String actor, Instant now) {
    tx.executeWithoutResult(
        s -> {
          int rows =
              jdbc.sql(
                      "UPDATE autoscale_policies SET policy_json = ?, updated_by = ?, updated_at = ?"
                          + " WHERE app = ?")
                  .params(Sql.toJson(mapper, policy), actor, ts(now), app)
                  .update();
          if (rows == 0) {
            jdbc.sql(
                    "INSERT INTO autoscale_policies (app, policy_json, state_json, updated_by,"
                        + " updated_at) VALUES (?, ?, ?, ?, ?)")
                .params(
                    app,
                    Sql.toJson(mapper, policy),
                    Sql.toJson(mapper, AutoscaleState.EMPTY),
                    actor,
                    ts(now))
                .update();
          }
        });
  }

  /** Removes the policy and the app's decisions; false when there was none. */
  public boolean delete(String app) {
    return Boolean.TRUE.equals(
        tx.execute(
            s -> {
              jdbc.sql("DELETE FROM autoscale_decisions WHERE app = ?").param(app).update();
              return jdbc.sql("DELETE FROM autoscale_policies WHERE app = ?").param(app).update()
                  > 0;
            }));
  }

  /**
   * Records a decision and the state after it in one transaction, and forgets the app's decisions
   * beyond the newest {@code keep}. Nothing is written when the policy is gone meanwhile.
   */
  public void record(String app, Decision d, AutoscaleState state, int keep) {
    tx.executeWithoutResult(
        s -> {
          int rows =
              jdbc.sql("UPDATE autoscale_policies SET state_json = ? WHERE app = ?")
                  .params(Sql.toJson(mapper, state), app)
                  .update();
          if (rows == 0) {
            return;
          }
          jdbc.sql(
                  "INSERT INTO autoscale_decisions (app, decided_at, current_count, desired_count,"
                      + " rule, decision_json) VALUES (?, ?, ?, ?, ?, ?)")
              .params(app, ts(d.at()), d.current(), d.desired(), d.rule(), Sql.toJson(mapper, d))
              .update();
          jdbc.sql(
                  "DELETE FROM autoscale_decisions WHERE app = ? AND id <= (SELECT id FROM"
                      + " autoscale_decisions WHERE app = ? ORDER BY id DESC OFFSET ? ROWS FETCH"
                      + " NEXT 1 ROWS ONLY)")
              .params(app, app, keep)
              .update();
        });
  }

  /** The app's decisions, newest first, at most {@code limit}. */
  public List<Decision> decisions(String app, int limit) {
    return jdbc.sql(
            "SELECT decision_json FROM autoscale_decisions WHERE app = ? ORDER BY id DESC"
                + " FETCH FIRST ? ROWS ONLY")
        .params(app, Math.min(limit, Sql.MAX_LIMIT))
        .query((rs, n) -> Sql.<Decision>fromJson(mapper, rs.getString(1), decisionType))
        .list();
  }
}
