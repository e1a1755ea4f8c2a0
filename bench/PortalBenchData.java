import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Fills a stopped Berth's H2 database with N apps and M finished runs of one task, for the portal list
 * benchmark. Run as a single-file program: java -cp h2.jar bench/PortalBenchData.java <jdbc-url> <apps> <runs>
 */
public class PortalBenchData {
  static final String SPEC = """
      {"image":"127.0.0.1:5000/demo/busybox:1","command":["httpd","-f","-p","8080"],"args":[],"env":{"MODE":"bench"},\
      "ports":[{"name":"http","port":8080,"protocol":"tcp"}],\
      "resources":{"cpu":0.5,"cpuLimit":1.0,"memoryMiB":128,"cpuPolicy":"shares","pids":1024},\
      "health":{},"lifecycle":{"postStart":[],"preStop":[],"stopTimeoutSeconds":30,"init":true}}""";
  static final String STATUS = """
      {"phase":"Running","ready":2,"desired":2,"revision":1,"updateRevision":1,"partition":0,"message":""}""";

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int apps = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    Instant base = Instant.parse("2025-01-01T00:00:00Z");
    try (Connection c = DriverManager.getConnection(url, "berth", "")) {
      c.setAutoCommit(false);
      try (PreparedStatement app = c.prepareStatement(
          "INSERT INTO apps (name, team, owner, cluster, spec_json, revision, instances, reserved_ordinals, deleting, version, status_json, created_at, updated_at)"
              + " VALUES (?, 'default', 'bench', 'local', ?, 1, 2, '[]', FALSE, 1, ?, ?, ?)")) {
        for (int i = 1; i <= apps; i++) {
          Timestamp t = Timestamp.from(base.plusSeconds(i));
          app.setString(1, "app-%05d".formatted(i));
          app.setString(2, SPEC);
          app.setString(3, STATUS);
          app.setTimestamp(4, t);
          app.setTimestamp(5, t);
          app.addBatch();
          if (i % 5_000 == 0) {
            app.executeBatch();
          }
        }
        app.executeBatch();
        c.commit();
      }
      if (runs == 0) {
        return;
      }
      try (PreparedStatement task = c.prepareStatement(
          "INSERT INTO tasks (name, team, owner, cluster, spec_json, trigger_json, mode, timeout_seconds, retries, keep_on_failure, concurrency, next_number, version, created_at, updated_at)"
              + " VALUES ('bulk', 'default', 'bench', 'local', '{\"image\":\"none\"}', '{\"type\":\"now\"}', 'ASYNC', 60, 0, FALSE, 'ALLOW', ?, 1, ?, ?)")) {
        task.setLong(1, runs + 1L);
        task.setTimestamp(2, Timestamp.from(base));
        task.setTimestamp(3, Timestamp.from(base));
        task.executeUpdate();
      }
      try (PreparedStatement run = c.prepareStatement(
          "INSERT INTO runs (id, task, team, number, cluster, state, attempts, exit_code, reclaimed, created_at, updated_at, started_at, ended_at, callback_attempts, host_ip)"
              + " VALUES (?, 'bulk', 'default', ?, 'local', ?, 1, ?, TRUE, ?, ?, ?, ?, 0, '10.88.0.1')")) {
        for (int i = 1; i <= runs; i++) {
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
