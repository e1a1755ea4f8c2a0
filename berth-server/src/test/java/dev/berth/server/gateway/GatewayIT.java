package dev.berth.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.traffic.Endpoint;
import dev.berth.core.traffic.EndpointState;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real nginx with the Lua module, driven by the gateway: endpoint changes without reloads, a
 * refused config, a killed nginx, a restarted Berth. Needs root and the machine-wide test lock.
 */
class GatewayIT {
  final NginxFixture nginx = new NginxFixture();
  final Backends backends = new Backends();

  @AfterEach
  void stop() {
    nginx.close();
    backends.close();
  }

  @Test
  void endpointChangesReachNginxWithoutAReload() throws Exception {
    nginx.route("shop", "", "/");
    nginx.endpoints.set("shop", backends.start("shop", "shop-0"));
    Gateway gateway = nginx.startGateway();
    assertThat(nginx.get("any.host", "/").body()).isEqualTo("shop-0");
    long worker = gateway.status().workerPid();

    nginx.endpoints.set(
        "shop",
        backends.endpoint("shop", "shop-0", EndpointState.DRAINING),
        backends.start("shop", "shop-1"));

    for (int i = 0; i < 20; i++) {
      assertThat(nginx.get("any.host", "/").body()).isEqualTo("shop-1");
    }
    GatewayStatus status = gateway.status();
    assertThat(status.reloads()).isZero();
    assertThat(status.workerPid()).isEqualTo(worker);
    assertThat(nginx.events.reasons("gateway/nginx")).containsExactly("GatewayStarted");
  }

  @Test
  void weightsSplitRequestsBySmoothWeightedRoundRobinAndWeightZeroGetsNoneWithoutAReload() {
    nginx.route("shop", "", "/");
    Endpoint shop0 = backends.start("shop", "shop-0");
    Endpoint shop1 = backends.start("shop", "shop-1");
    backends.start("shop", "shop-2");
    nginx.endpoints.set("shop", shop0, shop1);
    Gateway gateway = nginx.startGateway();
    long worker = gateway.status().workerPid();

    nginx.endpoints.set(
        "shop",
        backends.endpoint("shop", "shop-0", EndpointState.READY, 3),
        backends.endpoint("shop", "shop-1", EndpointState.READY, 1),
        backends.endpoint("shop", "shop-2", EndpointState.READY, 0));
    int before0 = backends.count("shop-0");
    int before1 = backends.count("shop-1");
    for (int i = 0; i < 40; i++) {
      assertThat(nginx.get("any.host", "/").status()).isEqualTo(200);
    }

    assertThat(backends.count("shop-0") - before0).isEqualTo(30);
    assertThat(backends.count("shop-1") - before1).isEqualTo(10);
    assertThat(backends.count("shop-2")).as("weight 0, listed but given nothing").isZero();
    GatewayStatus status = gateway.status();
    assertThat(status.reloads()).isZero();
    assertThat(status.workerPid()).isEqualTo(worker);

    nginx.endpoints.set(
        "shop",
        backends.endpoint("shop", "shop-0", EndpointState.OFFLINE, 3),
        backends.endpoint("shop", "shop-1", EndpointState.READY, 0),
        backends.endpoint("shop", "shop-2", EndpointState.READY, 0));
    for (int i = 0; i < 4; i++) {
      assertThat(nginx.get("any.host", "/").status())
          .as("only weight 0 left: they share the requests rather than fail them")
          .isEqualTo(200);
    }
    assertThat(backends.count("shop-1") - before1).isEqualTo(12);
    assertThat(backends.count("shop-2")).isEqualTo(2);
  }

  @Test
  void aNewRouteReloadsOnceAfterTheDebounceAndAnUnchangedOneNever() {
    nginx.route("shop", "", "/");
    nginx.endpoints.set("shop", backends.start("shop", "shop-0"));
    nginx.endpoints.set("blog", backends.start("blog", "blog-0"));
    Gateway gateway = nginx.startGateway();

    nginx.route("blog", "blog.example.com", "/");
    nginx.time.advance(Duration.ofSeconds(1));
    assertThat(gateway.status().reloads()).as("not before the debounce").isZero();
    nginx.time.advance(Duration.ofMillis(200));
    assertThat(gateway.status().reloads()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(nginx.get("blog.example.com", "/").body()).isEqualTo("blog-0"));
    assertThat(nginx.get("shop.example.com", "/").body()).isEqualTo("shop-0");

    nginx.time.advance(Duration.ofSeconds(5));
    assertThat(gateway.status().reloads()).isEqualTo(1);
  }

  @Test
  void aConfigNginxRefusesLeavesTheOldOneServingAndRaisesOneWarning() throws Exception {
    nginx.route("shop", "", "/");
    nginx.endpoints.set("shop", backends.start("shop", "shop-0"));
    Gateway gateway = nginx.startGateway();
    String before = Files.readString(gateway.configFile());

    // A valid DNS name longer than nginx's server-name hash buckets hold: Berth accepts it, nginx
    // refuses the config.
    String longHost = ("a".repeat(60) + ".").repeat(4) + "com";
    nginx.route("blog", longHost, "/");
    nginx.time.advance(Duration.ofSeconds(3));

    assertThat(nginx.events.warnings()).containsExactly("GatewayConfigRefused");
    assertThat(gateway.status().lastError()).contains("server_names_hash");
    assertThat(Files.readString(gateway.configFile())).isEqualTo(before);
    assertThat(gateway.status().reloads()).isZero();
    assertThat(nginx.get("any.host", "/").body()).isEqualTo("shop-0");
  }

  @Test
  void aKilledNginxIsStartedAgainWithTheCurrentConfigAndEndpoints() {
    nginx.route("shop", "", "/");
    nginx.endpoints.set("shop", backends.start("shop", "shop-0"));
    Gateway gateway = nginx.startGateway();
    long master = nginx.masterPid();

    nginx.killNginx();
    nginx.time.advance(Duration.ofSeconds(1));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(nginx.masterPid()).isNotEqualTo(master));
    assertThat(gateway.status().restarts()).isEqualTo(1);
    assertThat(nginx.events.warnings()).containsExactly("GatewayRestarted");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(nginx.get("any.host", "/").body()).isEqualTo("shop-0"));
  }

  @Test
  void aRestartedBerthFindsTheSameConfigAndNeitherReloadsNorRestartsNginx() throws Exception {
    nginx.route("shop", "shop.example.com", "/");
    nginx.route("shop", "", "/api");
    nginx.endpoints.set("shop", backends.start("shop", "shop-0"), backends.start("shop", "shop-1"));
    Gateway first = nginx.startGateway();
    byte[] config = Files.readAllBytes(first.configFile());
    var modified = Files.getLastModifiedTime(first.configFile());
    long master = nginx.masterPid();
    long worker = first.status().workerPid();
    first.close();

    Gateway second = nginx.startGateway();
    nginx.time.advance(Duration.ofSeconds(3));

    assertThat(Files.readAllBytes(second.configFile())).isEqualTo(config);
    assertThat(Files.getLastModifiedTime(second.configFile())).isEqualTo(modified);
    assertThat(nginx.masterPid()).isEqualTo(master);
    assertThat(second.status().workerPid()).isEqualTo(worker);
    assertThat(second.status().reloads()).isZero();
    assertThat(second.status().configHash()).isEqualTo(Gateway.hash(new String(config)));
    assertThat(nginx.get("shop.example.com", "/").status()).isEqualTo(200);
  }

  @Test
  void mirroringCopiesASampleToTheTargetAndLeavesThePrimarysAnswersAlone() {
    nginx.route("shop", "", "/");
    nginx.endpoints.set("shop", backends.start("shop", "shop-0"));
    nginx.endpoints.set("canary", backends.start("canary", "canary-0"));
    nginx.mirrors.add(new NginxConfig.MirrorRule("shop", "canary", "http", 50, 1024));
    Gateway gateway = nginx.startGateway();

    for (int i = 0; i < 200; i++) {
      NginxFixture.Answer a = nginx.get("any.host", "/item/" + i);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body()).isEqualTo("shop-0");
    }
    for (int i = 0; i < 20; i++) {
      NginxFixture.Answer a = nginx.request("POST", "any.host", "/big", "x".repeat(2000));
      assertThat(a.body()).isEqualTo("shop-0");
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat((long) backends.count("canary-0"))
                    .isEqualTo(gateway.counters().mirrored().get("shop")));
    assertThat(backends.count("canary-0")).isBetween(40, 160);
    assertThat(backends.received("canary-0"))
        .allSatisfy(r -> assertThat(r.path()).startsWith("/item/"));
    assertThat(backends.count("shop-0")).isEqualTo(220);
    GatewayCounters counters = gateway.counters();
    assertThat(counters.requests())
        .containsEntry(new GatewayCounters.Key("shop", "shop-0", "200"), 220L);
    assertThat(counters.of("shop").count()).isEqualTo(220);
    assertThat(counters.requestsOf("canary")).as("copies are not the primary's requests").isZero();
  }
}
