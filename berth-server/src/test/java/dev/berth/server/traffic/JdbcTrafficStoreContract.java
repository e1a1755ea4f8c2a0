package dev.berth.server.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.App;
import dev.berth.core.app.AppSpec;
import dev.berth.core.traffic.EndpointState;
import dev.berth.server.app.JdbcAppStore;
import dev.berth.server.testing.TestJson;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/** What every database Berth runs on must do for the traffic marks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcTrafficStoreContract {
  /** Has nanoseconds on purpose: the store keeps microseconds. */
  static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");

  JdbcClient jdbc;
  JdbcAppStore apps;
  JdbcTrafficStore store;

  abstract DataSource dataSource();

  @BeforeAll
  void createStores() {
    DataSource ds = dataSource();
    jdbc = JdbcClient.create(ds);
    var tx = new JdbcTransactionManager(ds);
    apps = new JdbcAppStore(jdbc, tx, TestJson.mapper(), Clock.fixed(T0, ZoneOffset.UTC));
    store = new JdbcTrafficStore(jdbc, tx);
  }

  @BeforeEach
  void emptyTables() {
    for (String table : List.of("instance_traffic", "instance_weight", "revisions", "apps")) {
      jdbc.sql("DELETE FROM " + table).update();
    }
    for (String name : List.of("web", "api")) {
      apps.create(
          App.builder()
              .name(name)
              .team("shop")
              .owner("ann")
              .cluster("local")
              .spec(
                  new AppSpec(
                      "registry/" + name + ":1",
                      List.of(),
                      List.of(),
                      Map.of(),
                      List.of(),
                      null,
                      null,
                      null))
              .revision(1)
              .instances(2)
              .build(),
          null);
    }
  }

  @Test
  void keepsOneMarkPerInstanceWithItsTimeToTheMicrosecond() {
    store.put(new TrafficMark("web", "web-0", EndpointState.DRAINING, T0, "system"));
    store.put(new TrafficMark("web", "web-0", EndpointState.OFFLINE, T0.plusSeconds(1), "ann"));
    store.put(new TrafficMark("api", "api-1", EndpointState.OFFLINE, T0, "bob"));

    assertThat(store.marks("web"))
        .containsOnlyKeys("web-0")
        .containsEntry(
            "web-0",
            new TrafficMark(
                "web",
                "web-0",
                EndpointState.OFFLINE,
                Instant.parse("2026-03-01T10:15:31.123456Z"),
                "ann"));
    assertThat(store.find("api", "api-1")).map(TrafficMark::actor).hasValue("bob");
    assertThat(store.all()).extracting(TrafficMark::instance).containsExactly("api-1", "web-0");
  }

  @Test
  void removingAMarkPutsTheInstanceOnlineAndSaysWhetherThereWasOne() {
    store.put(new TrafficMark("web", "web-1", EndpointState.OFFLINE, T0, "ann"));

    assertThat(store.remove("web", "web-1")).isTrue();
    assertThat(store.remove("web", "web-1")).isFalse();
    assertThat(store.find("web", "web-1")).isEmpty();
  }

  @Test
  void keepsOneWeightPerInstanceAndTheyGoWithTheirApp() {
    store.putWeight("web", "web-0", 30, T0, "ann");
    store.putWeight("web", "web-0", 0, T0.plusSeconds(1), "bob");
    store.putWeight("web", "web-1", 70, T0, "ann");
    store.putWeight("api", "api-0", 10, T0, "ann");

    assertThat(store.weights("web")).containsExactly(Map.entry("web-0", 0), Map.entry("web-1", 70));
    apps.delete("web");
    assertThat(store.weights("web")).isEmpty();
    assertThat(store.weights("api")).containsExactly(Map.entry("api-0", 10));
  }

  @Test
  void marksGoWithTheirApp() {
    store.put(new TrafficMark("web", "web-1", EndpointState.OFFLINE, T0, "ann"));
    store.put(new TrafficMark("api", "api-0", EndpointState.OFFLINE, T0, "ann"));

    apps.delete("web");

    assertThat(store.marks("web")).isEmpty();
    assertThat(store.all()).extracting(TrafficMark::app).containsExactly("api");
  }
}
