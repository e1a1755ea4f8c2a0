package dev.berth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.core.time.ManualScheduler;
import dev.berth.runtime.kubernetes.KubernetesConnector;
import dev.berth.server.support.crypto.SecretBox;
import dev.berth.server.testing.Kubeconfigs;
import dev.berth.server.testing.TestDatabases;
import dev.berth.server.testing.TestJson;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The periodic health check of registered Kubernetes clusters, against fabric8's mock API server on
 * loopback that is stopped and started again on the same port; time moves on a {@link
 * ManualScheduler}.
 */
class ClusterHealthTest {
  static final Duration INTERVAL = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  final ManualScheduler scheduler = new ManualScheduler();
  final HikariDataSource db = TestDatabases.h2();
  final JdbcClient jdbc = JdbcClient.create(db);
  KubernetesMockServer api;
  Clusters clusters;

  @AfterEach
  void stop() {
    if (clusters != null) {
      clusters.close();
    }
    if (api != null) {
      api.destroy();
    }
    db.close();
  }

  static KubernetesMockServer apiServer(int port) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init(InetAddress.getLoopbackAddress(), port);
    return server;
  }

  @Test
  void aClusterWhoseApiServerGoesAwayIsUnreachableAtTheNextCheckAndReadyAgainWhenItReturns()
      throws Exception {
    api = apiServer(0);
    int port = api.getPort();
    clusters =
        new Clusters(
            null,
            new JdbcClusterStore(jdbc, TestJson.mapper()),
            SecretBox.of(null, dataDir),
            new KubernetesConnector(),
            scheduler);
    clusters.register(
        "k1", Kubeconfigs.withToken("http://127.0.0.1:" + port, "t0ken"), false, "apps", "z1");
    new ClusterHealth(clusters, scheduler, INTERVAL).start();
    assertThat(view("k1").status()).isEqualTo("Ready");

    api.destroy();
    api = null;
    scheduler.advance(INTERVAL.minusSeconds(1));
    assertThat(view("k1").status()).as("no check before the interval is over").isEqualTo("Ready");
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(view("k1").status()).isEqualTo("Unreachable");
    assertThat(view("k1").message()).isNotBlank();
    assertThat(storedStatus("k1")).isEqualTo("Unreachable");
    assertThat(clusters.clusters())
        .anySatisfy(
            c -> {
              assertThat(c.name()).isEqualTo("k1");
              assertThat(c.status()).isEqualTo("Unreachable");
            });

    api = apiServer(port);
    // The check after this one must find the server listening again.
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return s.isConnected();
              }
            });
    scheduler.advance(INTERVAL);
    assertThat(view("k1").status()).isEqualTo("Ready");
    assertThat(view("k1").message()).startsWith("Kubernetes ");
    assertThat(storedStatus("k1")).isEqualTo("Ready");
  }

  private Clusters.View view(String name) {
    return clusters.views().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  private String storedStatus(String name) {
    return jdbc.sql("SELECT status FROM clusters WHERE name = ?")
        .param(name)
        .query(String.class)
        .single();
  }
}
