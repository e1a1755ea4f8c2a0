package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pull-through: an image its replica registry lacks is pulled from the origin registry instead. */
class PullThroughIT {
  static TestRegistry origin;
  static TestRegistry replica;
  static RegistryClient client;
  @TempDir Path root;

  @BeforeAll
  static void start() {
    origin = TestRegistry.start();
    replica = TestRegistry.start();
    client = RegistryClient.anonymous();
  }

  @AfterAll
  static void stop() {
    client.close();
    origin.close();
    replica.close();
  }

  @Test
  void pullsAnImageTheReplicaLacksFromTheOriginAndSaysSo() {
    String pushed = TestImages.pushBusybox(origin.host() + "/team/web:1", "from the origin");
    List<String> told = new CopyOnWriteArrayList<>();
    PullThrough fallback =
        new PullThrough() {
          @Override
          public List<ImageReference> origins(ImageReference missing) {
            return List.of(
                new ImageReference(
                    origin.host(), missing.repository(), missing.tag(), missing.digest()));
          }

          @Override
          public void pulledFromOrigin(ImageReference missing, ImageReference from) {
            told.add(missing + " <- " + from);
          }
        };
    OciImageStore store = new OciImageStore(root, client, fallback);

    PreparedImage image = store.prepare(replica.host() + "/team/web:1");

    assertThat(image.reference()).isEqualTo(replica.host() + "/team/web:1");
    assertThat(image.rootfs().resolve("www/index.html")).hasContent("from the origin");
    assertThat(store.resolve(replica.host() + "/team/web:1")).isEqualTo(image.digest());
    assertThat(told).containsExactly(replica.host() + "/team/web:1 <- " + pushed);
  }

  @Test
  void anImageNeitherRegistryHasIsNotFoundNamingBoth() {
    OciImageStore store =
        new OciImageStore(
            root,
            client,
            missing ->
                List.of(
                    new ImageReference(origin.host(), missing.repository(), missing.tag(), null)));

    assertThatThrownBy(() -> store.prepare(replica.host() + "/team/none:1"))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining(replica.host() + "/team/none:1")
        .hasMessageContaining("origins tried: " + origin.host() + "/team/none:1");
  }
}
