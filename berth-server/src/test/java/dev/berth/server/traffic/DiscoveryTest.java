package dev.berth.server.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.core.app.App;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.PortSpec;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.testing.FakeClusterRuntime;
import dev.berth.core.testing.FakeClusters;
import dev.berth.core.time.ManualScheduler;
import dev.berth.core.traffic.Endpoint;
import dev.berth.core.traffic.EndpointState;
import dev.berth.server.app.JdbcAppStore;
import dev.berth.server.testing.TestDatabases;
import dev.berth.server.testing.TestJson;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Discovery and the stored traffic switch on H2 with a fake runtime: which instances serve, what
 * the watch sees, and when a drain is over.
 */
class DiscoveryTest {
  final ManualScheduler time = new ManualScheduler();
  final FakeClusterRuntime runtime = new FakeClusterRuntime("local", time);
  final List<String> changes = new CopyOnWriteArrayList<>();
  HikariDataSource db;
  JdbcAppStore apps;
  JdbcTrafficStore store;
  Discovery discovery;
  TrafficSwitch traffic;

  @BeforeEach
  void start() {
    db = TestDatabases.h2();
    JdbcClient jdbc = JdbcClient.create(db);
    var tx = new JdbcTransactionManager(db);
    apps =
        new JdbcAppStore(jdbc, tx, TestJson.mapper(), Clock.fixed(time.instant(), ZoneOffset.UTC));
    store = new JdbcTrafficStore(jdbc, tx);
    discovery = new Discovery(apps, new FakeClusters(runtime), store);
    traffic = new TrafficSwitch(store, discovery, time, Duration.ofSeconds(5));
    runtime.observe(discovery);
    discovery.watch(changes::add);
    AppSpec spec =
        new AppSpec(
            "registry/web:1",
            List.of(),
            List.of(),
            Map.of(),
            List.of(new PortSpec("http", 8080, "tcp")),
            null,
            null,
            null);
    apps.create(
        App.builder()
            .name("web")
            .team("shop")
            .owner("ann")
            .cluster("local")
            .spec(spec)
            .revision(1)
            .instances(3)
            .build(),
        null);
    runtime.applyApp(AppWorkload.settled("web", 3, Set.of(), 1, spec));
  }

  @AfterEach
  void stop() {
    db.close();
  }

  @Test
  void onlyReadyOnlineInstancesServeWithTheirAddressAndPorts() {
    runtime.ready("web", 0);
    runtime.ready("web", 2);
    traffic.offline("web", "web-2", "ann");

    assertThat(discovery.serving("web"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.instance()).isEqualTo("web-0");
              assertThat(e.team()).isEqualTo("shop");
              assertThat(e.ip()).isEqualTo("10.0.0.10");
              assertThat(e.ports()).containsEntry("http", 8080);
              assertThat(e.revision()).isEqualTo(1);
            });
    assertThat(discovery.of("web"))
        .extracting(Endpoint::instance, Endpoint::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("web-0", EndpointState.READY),
            org.assertj.core.groups.Tuple.tuple("web-1", EndpointState.UNREADY),
            org.assertj.core.groups.Tuple.tuple("web-2", EndpointState.OFFLINE));
  }

  @Test
  void watchersHearOfReadinessOfflineAndOnlineButNotOfNothing() {
    long before = discovery.version("web");
    changes.clear();

    runtime.ready("web", 1);
    assertThat(changes).containsExactly("web");
    discovery.changed("web");
    assertThat(changes).as("nothing changed, nobody is told").containsExactly("web");

    traffic.offline("web", "web-1", "ann");
    traffic.offline("web", "web-1", "ann");
    traffic.online("web", "web-1");
    assertThat(changes).containsExactly("web", "web", "web");
    assertThat(discovery.version("web")).isGreaterThan(before);
  }

  @Test
  void aWeightSetByHandReachesDiscoveryAndItsWatchersAndWeightZeroStaysReady() {
    runtime.ready("web", 0);
    runtime.ready("web", 1);
    long before = discovery.version("web");
    changes.clear();

    assertThat(traffic.weight("web", "web-0", 30, "ann")).isTrue();
    assertThat(traffic.weight("web", "web-0", 30, "ann")).as("idempotent").isFalse();
    assertThat(traffic.weight("web", "web-1", 0, "ann")).isTrue();

    assertThat(changes).containsExactly("web", "web");
    assertThat(discovery.version("web")).isGreaterThan(before);
    assertThat(discovery.serving("web"))
        .extracting(Endpoint::instance, Endpoint::weight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("web-0", 30),
            org.assertj.core.groups.Tuple.tuple("web-1", 0));
    assertThat(discovery.of("web"))
        .filteredOn(e -> e.instance().equals("web-2"))
        .extracting(Endpoint::weight)
        .containsExactly(EndpointView.WEIGHT);

    runtime.deleteInstance("web", 0, true);
    runtime.ready("web", 0);
    traffic.offline("web", "web-0", "ann");
    traffic.online("web", "web-0");
    assertThat(traffic.weight("web", "web-0"))
        .as("a replaced instance and offline/online keep the weight")
        .isEqualTo(30);
  }

  @Test
  void anOfflineInstanceStaysOfflineWhenItIsReplacedAndComesBackOnlyByHand() {
    runtime.ready("web", 0);
    traffic.offline("web", "web-0", "ann");

    runtime.deleteInstance("web", 0, true);
    runtime.ready("web", 0);
    traffic.drain("web", "web-0");
    traffic.restore("web", "web-0");

    assertThat(discovery.of("web").get(0).state()).isEqualTo(EndpointState.OFFLINE);
    traffic.online("web", "web-0");
    assertThat(discovery.of("web").get(0).state()).isEqualTo(EndpointState.READY);
  }

  @Test
  void aDrainIsOverOnceTheDrainTimeoutPassedAndRestoreEndsIt() {
    runtime.ready("web", 1);
    traffic.drain("web", "web-1");

    assertThat(discovery.of("web").get(1).state()).isEqualTo(EndpointState.DRAINING);
    assertThat(traffic.drained("web", "web-1")).isFalse();
    time.advance(Duration.ofSeconds(4));
    assertThat(traffic.drained("web", "web-1")).isFalse();
    time.advance(Duration.ofSeconds(1));
    assertThat(traffic.drained("web", "web-1")).isTrue();

    traffic.restore("web", "web-1");
    assertThat(discovery.of("web").get(1).state()).isEqualTo(EndpointState.READY);
    assertThat(traffic.drained("web", "web-1")).as("nothing to wait for").isTrue();
  }

  @Test
  void aRuntimeThatRoutesTrafficItselfIsToldAndToldAgainWhileItStillShowsTheInstanceOnline() {
    List<String> switched = new CopyOnWriteArrayList<>();
    ClusterRuntime recording =
        (ClusterRuntime)
            Proxy.newProxyInstance(
                ClusterRuntime.class.getClassLoader(),
                new Class<?>[] {ClusterRuntime.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("setOnline")) {
                    switched.add(args[0] + "-" + args[1] + " online=" + args[2]);
                    return null;
                  }
                  return method.invoke(runtime, args);
                });
    Discovery pushing = new Discovery(apps, new FakeClusters(recording), store);
    runtime.observe(pushing);
    TrafficSwitch toggles = new TrafficSwitch(store, pushing, time, Duration.ofSeconds(5));

    toggles.offline("web", "web-0", "ann");
    await().atMost(Duration.ofSeconds(10)).until(() -> switched.contains("web-0 online=false"));
    switched.clear();
    runtime.ready("web", 0); // observed again, still online there: told again
    await().atMost(Duration.ofSeconds(10)).until(() -> switched.contains("web-0 online=false"));
    assertThat(switched).doesNotContain("web-1 online=false", "web-2 online=false");
  }

  @Test
  void takingADrainingInstanceOfflineKeepsItOutAfterTheReleaseRestoresIt() {
    runtime.ready("web", 2);
    traffic.drain("web", "web-2");

    assertThat(traffic.offline("web", "web-2", "ann")).isTrue();
    assertThat(traffic.offline("web", "web-2", "ann")).as("idempotent").isFalse();
    traffic.restore("web", "web-2");

    assertThat(discovery.of("web").get(2).state()).isEqualTo(EndpointState.OFFLINE);
  }

  @Test
  void anUnknownAppHasNoEndpoints() {
    assertThat(discovery.of("nope")).isEmpty();
  }
}
