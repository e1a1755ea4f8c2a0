package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.task.TaskRequest;
import dev.berth.core.task.TaskService;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.task.Trigger;
import dev.berth.core.task.TriggerType;
import dev.berth.server.testing.PostgresServer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Berth servers on one PostgreSQL database share the fire times of 10 000 one-time tasks: every
 * run is started exactly once, by one of them, and ends (modelled on db-scheduler's own cluster
 * test).
 *
 * <p>What is real: two complete Berth servers (two Spring applications in this JVM, each with its
 * own data directory, connection pool, db-scheduler instance, fire timers, task service, run
 * controller and event log) on one real PostgreSQL database; tasks are created through the task
 * service exactly as the API creates them, half on each server, each with an {@code at} trigger two
 * seconds ahead; db-scheduler's claim decides which server fires each, and the runs' states are
 * what the run controllers stored. What is not: the cluster. Each server's {@code local} cluster is
 * core's in-memory {@code FakeClusterRuntime} ({@link QuickRunsCluster}), whose runs exit 0 as soon
 * as they start, because 10 000 runc containers would take far longer than this test may on two
 * cores; every start it is asked for is recorded with the server that asked, which is what "none
 * run twice" is checked against. The runc path of runs is covered by {@code TaskIT} and {@code
 * TaskCrashIT}.
 */
class TwoBerthsOnePostgresIT {
  static final int TASKS = 10_000;
  static final Duration ALL_DONE = Duration.ofMinutes(3);

  static String jdbcUrl;
  static BerthServer first;
  static BerthServer second;

  @BeforeAll
  static void start() throws Exception {
    jdbcUrl = PostgresServer.shared().createDatabase();
    first = server("first").start();
    second = server("second").start();
  }

  static BerthServer server(String name) throws Exception {
    PostgresServer pg = PostgresServer.shared();
    return new BerthServer(
            Files.createTempDirectory("berth-two-" + name + "-"),
            "berthit130",
            "10.203.130.0/24",
            "berth-it130")
        .withDatabase(jdbcUrl, pg.username(), pg.password())
        .withBeans(QuickRunsCluster.class)
        .with("berth.test.server-name", name)
        .with("spring.datasource.hikari.maximum-pool-size", "20");
  }

  @AfterAll
  static void stop() throws java.io.IOException {
    for (BerthServer s : new BerthServer[] {first, second}) {
      if (s != null) {
        s.close();
        org.springframework.util.FileSystemUtils.deleteRecursively(s.dataDir());
      }
    }
  }

  @Test
  void twoServersOnOneDatabaseStartEachOfTenThousandScheduledRunsExactlyOnceAndEndThemAll()
      throws Exception {
    long began = System.nanoTime();
    List<BerthServer> servers = List.of(first, second);
    try (ExecutorService creators = Executors.newFixedThreadPool(4)) {
      List<Future<?>> created = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        BerthServer via = servers.get(i % 2);
        String name = String.format("quick-%05d", i);
        created.add(creators.submit(() -> create(via, name)));
      }
      for (Future<?> f : created) {
        f.get();
      }
    }
    long createdAfter = System.nanoTime();

    await()
        .atMost(ALL_DONE)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(count("SELECT count(*) FROM runs WHERE state = 'SUCCEEDED'"))
                    .isEqualTo(TASKS));
    long doneAfter = System.nanoTime();

    // Exactly one run per task, for the task's one fire time, and nothing else.
    assertThat(count("SELECT count(*) FROM runs")).isEqualTo(TASKS);
    assertThat(count("SELECT count(DISTINCT task) FROM runs")).isEqualTo(TASKS);
    assertThat(
            count(
                "SELECT count(*) FROM runs r JOIN tasks t ON t.name = r.task WHERE r.scheduled_at IS NULL OR r.number <> 1"))
        .isZero();
    // No fire time is left to serve.
    assertThat(count("SELECT count(*) FROM scheduled_tasks")).isZero();
    // The runtimes were asked to start each run once, by one server, and never anything else.
    Map<String, Queue<String>> starts = QuickRunsCluster.STARTS;
    assertThat(starts.keySet()).hasSize(TASKS).allMatch(id -> id.matches("quick-\\d{5}-1"));
    assertThat(
            starts.entrySet().stream()
                .filter(e -> e.getValue().size() != 1)
                .map(e -> e.getKey() + " by " + e.getValue())
                .toList())
        .as("runs started more than once")
        .isEmpty();
    Map<String, Long> byServer =
        starts.values().stream().collect(Collectors.groupingBy(Queue::peek, Collectors.counting()));
    assertThat(byServer).as("both servers fired runs").containsOnlyKeys("first", "second");
    System.out.printf(
        "two servers, %d one-time tasks: created in %d s, all runs ended %d s later; started by %s%n",
        TASKS,
        Duration.ofNanos(createdAfter - began).toSeconds(),
        Duration.ofNanos(doneAfter - createdAfter).toSeconds(),
        byServer);
  }

  private static void create(BerthServer via, String name) {
    var at = via.bean(Clock.class).instant().plusSeconds(2);
    via.bean(TaskService.class)
        .create(
            new TaskRequest(
                name,
                null,
                null,
                new TaskSpec("registry.test/quick:1", List.of("true"), null, null, null),
                new Trigger(TriggerType.AT, at, null, null, null),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null),
            "admin");
  }

  private static long count(String sql) throws SQLException {
    PostgresServer pg = PostgresServer.shared();
    try (Connection c = DriverManager.getConnection(jdbcUrl, pg.username(), pg.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
