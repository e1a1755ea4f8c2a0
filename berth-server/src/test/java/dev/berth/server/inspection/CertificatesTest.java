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

  @Test
  void aKubeconfigWithoutUsersHasNoCertificates() throws Exception {
    assertThat(Certificates.ofKubeconfig("apiVersion: v1\nkind: Config\n")).isEmpty();
  }

  @Test
  void aPlainHttpUrlPresentsNoCertificate() throws Exception {
    assertThat(Certificates.ofServer("http://127.0.0.1:5000")).isEmpty();
  }
}
