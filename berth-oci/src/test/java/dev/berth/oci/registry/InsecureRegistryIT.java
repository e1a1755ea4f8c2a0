package dev.berth.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.oci.ImageReference;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestImages.PushedImage;
import dev.berth.oci.testing.TestRegistry;
import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The README's "a non-loopback http:// registry must also be listed in
 * BERTH_LOCAL_INSECURE_REGISTRIES": a plain-HTTP registry listening only on an address of a bridge
 * this test makes (10.203.140.1, not loopback) is spoken to over HTTPS, and so not reached, unless
 * the client lists it as insecure, the list the server builds the local runtime's client from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InsecureRegistryIT {
  static final String LINK = "berthit140";
  static final String ADDRESS = "10.203.140.1";
  TestRegistry registry;
  PushedImage pushed;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root to add a network bridge");
    run("ip", "link", "del", LINK); // a leftover of a killed run
    check("ip", "link", "add", LINK, "type", "bridge");
    check("ip", "addr", "add", ADDRESS + "/32", "dev", LINK);
    check("ip", "link", "set", LINK, "up");
    registry = TestRegistry.startOn(ADDRESS);
    try (RegistryClient listed =
        RegistryClient.builder().insecureRegistries(List.of(registry.host())).build()) {
      pushed =
          TestImages.busybox().page("plain http").push(listed, registry.host() + "/team/web:1");
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    run("ip", "link", "del", LINK);
  }

  @Test
  void aNonLoopbackPlainHttpRegistryIsNotReachedUnlessListedAsInsecure() {
    ImageReference ref = ImageReference.parse(registry.host() + "/team/web:1");
    try (RegistryClient unlisted = RegistryClient.anonymous()) {
      assertThatThrownBy(() -> unlisted.findManifest(ref))
          .as("spoken to over HTTPS")
          .isInstanceOf(RegistryUnavailableException.class)
          .hasRootCauseInstanceOf(SSLException.class)
          .hasMessageContaining("plaintext connection");
    }
  }

  @Test
  void aNonLoopbackPlainHttpRegistryListedAsInsecureServesItsImages() {
    ImageReference ref = ImageReference.parse(registry.host() + "/team/web:1");
    try (RegistryClient listed =
        RegistryClient.builder().insecureRegistries(List.of(registry.host())).build()) {
      assertThat(listed.findManifest(ref)).contains(pushed.digest());
    }
  }

  static int run(String... command) throws IOException, InterruptedException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  static void check(String... command) throws IOException, InterruptedException {
    assertThat(run(command)).as(String.join(" ", command)).isZero();
  }
}
