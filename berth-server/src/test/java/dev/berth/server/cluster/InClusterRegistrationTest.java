package dev.berth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.berth.core.time.ManualScheduler;
import dev.berth.runtime.kubernetes.KubernetesConnector;
import dev.berth.server.support.crypto.SecretBox;
import dev.berth.server.testing.TestDatabases;
import dev.berth.server.testing.TestJson;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registering the cluster Berth runs in ({@code inCluster}): the client is configured the way a
 * pod's is, from {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}, the service-account token file and
 * the CA file. The real paths under /var/run/secrets need root, so the test points fabric8's own
 * system properties for those files at temporary ones; the API server is fabric8's mock server over
 * HTTPS.
 */
class InClusterRegistrationTest {
  static final String SA_TOKEN = "service-account-token-from-the-mounted-file";
  static final List<String> PROPERTIES =
      List.of(
          Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY,
          Config.KUBERNETES_SERVICE_HOST_PROPERTY,
          Config.KUBERNETES_SERVICE_PORT_PROPERTY,
          Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY,
          Config.KUBERNETES_CA_CERTIFICATE_FILE_SYSTEM_PROPERTY,
          Config.KUBERNETES_MASTER_SYSTEM_PROPERTY,
          Config.KUBERNETES_OAUTH_TOKEN_SYSTEM_PROPERTY,
          Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY);

  @TempDir Path dir;

  final HikariDataSource db = TestDatabases.h2();
  final JdbcClient jdbc = JdbcClient.create(db);
  final Map<String, String> saved = new HashMap<>();
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
    saved.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
  }

  @Test
  void registeringTheClusterBerthRunsInUsesTheServiceAccountTokenAndCaFiles() throws Exception {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            true);
    api.init(InetAddress.getLoopbackAddress(), 0);
    Path token = Files.writeString(dir.resolve("token"), SA_TOKEN);
    Path ca = Files.writeString(dir.resolve("ca.crt"), pem(serverCertificate(api.getPort())));
    PROPERTIES.forEach(p -> saved.put(p, System.getProperty(p)));
    PROPERTIES.forEach(System::clearProperty);
    System.setProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
    System.setProperty(Config.KUBERNETES_SERVICE_HOST_PROPERTY, "localhost");
    System.setProperty(Config.KUBERNETES_SERVICE_PORT_PROPERTY, Integer.toString(api.getPort()));
    System.setProperty(
        Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY, token.toString());
    System.setProperty(Config.KUBERNETES_CA_CERTIFICATE_FILE_SYSTEM_PROPERTY, ca.toString());
    int before = api.getRequestCount();

    clusters =
        new Clusters(
            null,
            new JdbcClusterStore(jdbc, TestJson.mapper()),
            SecretBox.of(null, dir),
            new KubernetesConnector(),
            new ManualScheduler());
    Clusters.View here = clusters.register("here", null, true, "berth-apps", "z1");

    assertThat(here.status()).isEqualTo("Ready");
    assertThat(here.namespace()).isEqualTo("berth-apps");
    assertThat(api.getRequestCount()).isGreaterThan(before);
    List<RecordedRequest> seen = new ArrayList<>();
    for (RecordedRequest r; (r = api.takeRequest(1, TimeUnit.SECONDS)) != null; ) {
      seen.add(r);
    }
    assertThat(seen)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + SA_TOKEN));
    assertThat(seen)
        .anySatisfy(
            r ->
                assertThat(r.getPath())
                    .startsWith("/apis/apps/v1/namespaces/berth-apps/statefulsets"));
    String stored =
        jdbc.sql("SELECT config FROM clusters WHERE name = 'here'").query(String.class).single();
    assertThat(stored).contains("\"inCluster\":true").doesNotContain(SA_TOKEN);
  }

  /**
   * The certificate the mock server presents, fetched once without checking it (it is what the CA
   * file must hold).
   */
  private static X509Certificate serverCertificate(int port) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        new SecureRandom());
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      Certificate[] chain = socket.getSession().getPeerCertificates();
      return (X509Certificate) chain[chain.length - 1];
    }
  }

  private static String pem(X509Certificate cert) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
