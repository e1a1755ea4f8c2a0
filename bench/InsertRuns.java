import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Fills a stopped Berth's H2 database with N finished runs of one task, for the listing benchmark.
 * Run as a single-file program: java -cp h2.jar bench/InsertRuns.java <jdbc-url> <n>
 */
public class InsertRuns {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int n = Integer.parseInt(args[1]);
    try (Connection c = DriverManager.getConnection(url, "berth", "")) {
      c.setAutoCommit(false);
      Instant base = Instant.parse("2025-01-01T00:00:00Z");
      try (PreparedStatement task = c.prepareStatement(
          "INSERT INTO tasks (name, team, owner, cluster, spec_json, trigger_json, mode, timeout_seconds, retries, keep_on_failure, concurrency, next_number, version, created_at, updated_at)"
              + " VALUES ('bulk', 'default', 'bench', 'local', '{\"image\":\"none\"}', '{\"type\":\"NOW\"}', 'ASYNC', 60, 0, FALSE, 'ALLOW', ?, 1, ?, ?)")) {
        task.setLong(1, n + 1L);
        task.setTimestamp(2, Timestamp.from(base));
        task.setTimestamp(3, Timestamp.from(base));
        task.executeUpdate();
      }
      try (PreparedStatement run = c.prepareStatement(
          "INSERT INTO runs (id, task, number, cluster, state, attempts, exit_code, reclaimed, created_at, updated_at, started_at, ended_at, callback_attempts, host_ip)"
              + " VALUES (?, 'bulk', ?, 'local', ?, 1, ?, TRUE, ?, ?, ?, ?, 0, '10.88.0.1')")) {
        for (int i = 1; i <= n; i++) {
          Timestamp t = Timestamp.from(base.plusSeconds(i));
          run.setString(1, "bulk-" + i);
          run.setLong(2, i);
          run.setString(3, i % 10 == 0 ? "FAILED" : "SUCCEEDED");
          run.setInt(4, i % 10 == 0 ? 1 : 0);
          run.setTimestamp(5, t);
          run.setTimestamp(6, t);
          run.setTimestamp(7, t);
          run.setTimestamp(8, t);
          run.addBatch();
          if (i % 10_000 == 0) {
            run.executeBatch();
            c.commit();
          }
        }
        run.executeBatch();
        c.commit();
      }
    }
  }
}
