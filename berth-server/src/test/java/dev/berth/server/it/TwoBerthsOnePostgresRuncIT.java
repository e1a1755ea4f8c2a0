package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.runtime.Observation;
import dev.berth.core.task.RunState;
import dev.berth.core.task.TaskRequest;
import dev.berth.core.task.TaskService;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.task.Trigger;
import dev.berth.core.task.TriggerType;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import dev.berth.server.testing.PostgresServer;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Berth servers on one PostgreSQL database, each with its own real local cluster (runc on its
 * own bridge), share the fire times of 200 one-time tasks: each run's container is started by
 * exactly one of them and every run ends succeeded. Everything is real here (the 10 000-run version
 * with an in-memory runtime is {@link TwoBerthsOnePostgresIT}). Which server ran a run is what its
 * local runtime reported running.
 */
class TwoBerthsOnePostgresRuncIT {
  static final int TASKS = 200;
  static TestRegistry registry;
  static String image;
  static String jdbcUrl;
  static BerthServer first;
  static BerthServer second;
  static final Map<String, Set<String>> RUNNING = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "two");
    jdbcUrl = PostgresServer.shared().createDatabase();
    first = server("first", 131).start();
    second = server("second", 132).start();
    watch(first, "first");
    watch(second, "second");
  }

  static BerthServer server(String name, int n) throws Exception {
    PostgresServer pg = PostgresServer.shared();
    return new BerthServer(
            Files.createTempDirectory("berth-two-runc-" + name + "-"),
            "berthit" + n,
            "10.203." + n + ".0/24",
            "berth-it" + n)
        .withDatabase(jdbcUrl, pg.username(), pg.password());
  }

  /** Records every run the server's own local runtime reports running. */
  static void watch(BerthServer server, String name) {
    server
        .bean(ClusterRegistry.class)
        .runtime("local")
        .orElseThrow()
        .observe(
            o -> {
              if (o instanceof Observation.RunChanged c && c.run().state() == RunState.RUNNING) {
                RUNNING
                    .computeIfAbsent(c.run().runId(), k -> ConcurrentHashMap.newKeySet())
                    .add(name);
              }
            });
  }

  @AfterAll
  static void stop() {
    int n = 131;
    for (BerthServer s : new BerthServer[] {first, second}) {
      if (s != null) {
        s.close();
        Cleanup.local(s.dataDir(), "berthit" + n, s.cgroupParent());
      }
      n++;
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void twoServersWithRealContainersRunEachOfTwoHundredScheduledRunsOnceAndOnlyOnce()
      throws Exception {
    long began = System.nanoTime();
    for (int i = 0; i < TASKS; i++) {
      BerthServer via = i % 2 == 0 ? first : second;
      var at = via.bean(Clock.class).instant().plusSeconds(2);
      via.bean(TaskService.class)
          .create(
              new TaskRequest(
                  String.format("real-%03d", i),
                  null,
                  null,
                  new TaskSpec(image, List.of("sh", "-c", "exit 0"), null, null, null),
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

    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(
                        count(
                            "SELECT count(*) FROM runs WHERE state IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED')"))
                    .isEqualTo(TASKS));
    long doneAfter = System.nanoTime();

    assertThat(
            count(
                "SELECT count(*) FROM runs WHERE state = 'SUCCEEDED' AND attempts = 1 AND exit_code = 0"))
        .isEqualTo(TASKS);
    assertThat(count("SELECT count(DISTINCT task) FROM runs")).isEqualTo(TASKS);
    assertThat(RUNNING.keySet()).hasSize(TASKS);
    assertThat(
            RUNNING.entrySet().stream()
                .filter(e -> e.getValue().size() != 1)
                .map(e -> e.getKey() + " by " + e.getValue())
                .toList())
        .as("runs whose container ran on both servers")
        .isEmpty();
    long byFirst = RUNNING.values().stream().filter(s -> s.contains("first")).count();
    assertThat(byFirst).as("runs on the first server").isBetween(1L, TASKS - 1L);
    System.out.printf(
        "two servers, %d runc runs: all ended %d s after the first was created; %d on the first server%n",
        TASKS, Duration.ofNanos(doneAfter - began).toSeconds(), byFirst);
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
