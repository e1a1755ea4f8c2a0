package dev.berth.server.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client certificates read from a kubeconfig, made by a real openssl. */
class CertificatesTest {
  @TempDir Path dir;

  @Test
  void readsTheClientCertificateOfEveryKubeconfigUserWithItsExpiry() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    Path cert = dir.resolve("client.pem");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "3",
                "-subj",
                "/CN=berth-admin",
                "-keyout",
                dir.resolve("key.pem").toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    String data = Base64.getEncoder().encodeToString(Files.readAllBytes(cert));
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
        users:
        - name: admin
          user:
            client-certificate-data: %s
        - name: token-user
          user:
            token: abc
        """
            .formatted(data);

    List<X509Certificate> certs = Certificates.ofKubeconfig(kubeconfig);

    assertThat(certs).hasSize(1);
    assertThat(certs.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=berth-admin");
    Duration left = Duration.between(Instant.now(), certs.get(0).getNotAfter().toInstant());
    assertThat(left).isBetween(Duration.ofDays(2), Duration.ofDays(3));
  }

  /** Runs openssl with {@code args}; fails the test when it does not succeed. */
  static void openssl(String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void readsTheCertificateATlsServerPresentsEvenWhenNobodyTrustsIt() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
    Path key = dir.resolve("server-key.pem");
    Path cert = dir.resolve("server.pem");
    Path p12 = dir.resolve("server.p12");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "5",
        "-subj",
        "/CN=registry.test",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString());
    openssl(
        "pkcs12",
        "-export",
        "-in",
        cert.toString(),
        "-inkey",
        key.toString(),
        "-out",
        p12.toString(),
        "-passout",
        "pass:secret");
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(p12)) {
      store.load(in, "secret".toCharArray());
    }
    javax.net.ssl.KeyManagerFactory keys =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "secret".toCharArray());
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    try (javax.net.ssl.SSLServerSocket server =
        (javax.net.ssl.SSLServerSocket)
            tls.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread accept =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) server.accept()) {
                      s.startHandshake();
                    } catch (java.io.IOException e) {
                      // the client closes right after its handshake
                    }
                  });

      List<X509Certificate> certs =
          Certificates.ofServer("https://127.0.0.1:" + server.getLocalPort());

      accept.join(Duration.ofSeconds(30));
      assertThat(certs).hasSize(1);
      assertThat(certs.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=registry.test");
      assertThat(Duration.between(Instant.now(), certs.get(0).getNotAfter().toInstant()))
          .isBetween(Duration.ofDays(4), Duration.ofDays(5));
    }
  }

  @Test
  void aKubeconfigWithoutUsersHasNoCertificates() throws Exception {
    assertThat(Certificates.ofKubeconfig("apiVersion: v1\nkind: Config\n")).isEmpty();
  }

  @Test
  void aPlainHttpUrlPresentsNoCertificate() throws Exception {
    assertThat(Certificates.ofServer("http://127.0.0.1:5000")).isEmpty();
  }
}
