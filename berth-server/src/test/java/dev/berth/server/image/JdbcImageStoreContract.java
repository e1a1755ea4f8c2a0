package dev.berth.server.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ConflictException;
import dev.berth.server.testing.TestJson;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The image store's contract (registries, rules, jobs), run against H2 and a real PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcImageStoreContract {
  static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
  JdbcClient jdbc;
  JdbcImageStore store;

  abstract DataSource dataSource();

  @BeforeAll
  void createStore() {
    jdbc = JdbcClient.create(dataSource());
    store = new JdbcImageStore(jdbc, TestJson.mapper());
  }

  @BeforeEach
  void emptyTables() {
    jdbc.sql("DELETE FROM replication_jobs").update();
    jdbc.sql("DELETE FROM replication_rules").update();
    jdbc.sql("DELETE FROM registries").update();
  }

  static RegistryRecord registry(String name, String host) {
    return new RegistryRecord(name, "http://" + host, host, "berth", "v1:sealed", "admin", T0);
  }

  @Test
  void registriesRoundTripAndANameOrHostIsTakenOnce() {
    store.createRegistry(registry("dc1", "127.0.0.1:5000"));
    store.createRegistry(registry("dc2", "127.0.0.1:5001"));

    assertThat(store.registries()).extracting(RegistryRecord::name).containsExactly("dc1", "dc2");
    assertThat(store.registry("dc1")).contains(registry("dc1", "127.0.0.1:5000"));
    assertThatThrownBy(() -> store.createRegistry(registry("dc1", "127.0.0.1:5002")))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> store.createRegistry(registry("dc3", "127.0.0.1:5000")))
        .isInstanceOf(ConflictException.class);
    assertThat(store.deleteRegistry("dc1")).isTrue();
    assertThat(store.registry("dc1")).isEmpty();
  }

  @Test
  void rulesKeepTheirTargetsInOrder() {
    ReplicationRule rule =
        new ReplicationRule(
            "team-a",
            "dc1",
            "team-a/*",
            List.of(
                new ReplicationRule.Target("dc2", ""), new ReplicationRule.Target("dc3", "mirror")),
            true,
            "admin",
            T0);
    store.createRule(rule);

    assertThat(store.rule("team-a")).contains(rule);
    assertThatThrownBy(() -> store.createRule(rule)).isInstanceOf(ConflictException.class);
    assertThat(store.deleteRule("team-a")).isTrue();
    assertThat(store.rules()).isEmpty();
  }

  @Test
  void jobsAreListedNewestFirstPageByPageAndFinishedOnes() {
    for (int i = 0; i < 5; i++) {
      store.startJob(
          new ReplicationJob(
              "j" + i,
              "team-a",
              "push",
              "src/a:1",
              "dst/a:" + i,
              "team-a/a",
              "" + i,
              "running",
              null,
              0,
              0,
              0,
              0,
              null,
              T0,
              T0.plusSeconds(i),
              null,
              null,
              null));
    }
    store.retrying("j1", 1, "503");
    store.finishJob(
        new ReplicationJob(
            "j1",
            null,
            null,
            null,
            null,
            null,
            null,
            "succeeded",
            "sha256:" + "b".repeat(64),
            1234,
            2,
            1,
            2,
            null,
            null,
            null,
            T0.plusSeconds(9),
            800L,
            9000L));

    List<ReplicationJob> first = store.jobs("team-a", null, 2);
    assertThat(first).extracting(ReplicationJob::id).containsExactly("j4", "j3");
    assertThat(store.jobs("team-a", first.getLast().startedAt(), 10))
        .extracting(ReplicationJob::id)
        .containsExactly("j2", "j1", "j0");
    ReplicationJob done = store.job("j1").orElseThrow();
    assertThat(done.state()).isEqualTo("succeeded");
    assertThat(done.bytes()).isEqualTo(1234);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.latencyMs()).isEqualTo(9000L);
    assertThat(done.pushedAt()).isEqualTo(T0);

    assertThat(store.abandonRunning(T0.plusSeconds(60), "stopped")).isEqualTo(4);
    assertThat(store.job("j0").orElseThrow().state()).isEqualTo("failed");
    assertThat(store.deleteJobsEndedBefore(T0.plusSeconds(30))).isEqualTo(1);
    assertThat(store.deleteJobsOfRule("team-a")).isEqualTo(4);
  }
}
