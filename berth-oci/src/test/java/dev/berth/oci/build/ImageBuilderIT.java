package dev.berth.oci.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.ImageReference;
import dev.berth.oci.registry.Credentials;
import dev.berth.oci.registry.Descriptor;
import dev.berth.oci.registry.Manifest;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds onto a busybox base in a real docker-registry and pushes there, with jib-core. */
class ImageBuilderIT {
  static TestRegistry registry;
  static RegistryClient client;
  static String base;
  @TempDir static Path dir;
  static ImageBuilder builder;
  static int builds;

  @BeforeAll
  static void start() {
    registry = TestRegistry.start();
    client = RegistryClient.anonymous();
    base =
        TestImages.busybox()
            .page("base page")
            .push(client, registry.host() + "/demo/busybox:1")
            .reference();
    builder =
        new ImageBuilder(
            new ImageBuilder.Settings(
                dir.resolve("cache"), List.of(), Credentials.anonymous(), 64 << 20));
  }

  @AfterAll
  static void stop() {
    if (builder != null) {
      builder.close();
    }
    if (client != null) {
      client.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  static BuildSpec site(String target, String page) {
    return new BuildSpec(
        target,
        base,
        null,
        List.of(
            new LayerSpec(
                "config",
                List.of(new FileSpec("/etc/site.conf", "port=8080\n", null, null)),
                List.of())),
        List.of(new FileSpec("/www/index.html", page, null, "0644")),
        List.of(),
        "/www",
        null,
        List.of("httpd", "-f", "-p", "8080", "-h", "/www"),
        Map.of("SITE", "demo"),
        List.of("8080"),
        null,
        Map.of());
  }

  static BuiltImage build(BuildSpec spec) throws IOException {
    List<String> log = new ArrayList<>();
    BuiltImage built =
        builder.build(
            spec,
            base,
            Map.of(),
            Files.createDirectories(dir.resolve("work-" + ++builds)),
            log::add);
    assertThat(log).anyMatch(l -> l.startsWith("pushed "));
    return built;
  }

  static List<String> layers(String reference) {
    Manifest m = client.getManifest(ImageReference.parse(reference));
    return m.layers().stream().map(Descriptor::digest).toList();
  }

  @Test
  void buildsOnABaseInTheRegistryAndRebuildsToTheSameDigest() throws IOException {
    String target = registry.host() + "/demo/site:1";
    BuiltImage first = build(site(target, "built by berth\n"));
    BuiltImage second = build(site(target, "built by berth\n"));
    assertThat(second.digest()).isEqualTo(first.digest());
    assertThat(first.base()).startsWith(base.replace(":1", "") + "@sha256:");
    assertThat(first.layers()).containsExactly("config", "app");
    assertThat(client.headManifest(ImageReference.parse(target))).isEqualTo(first.digest());
    List<String> layers = layers(target);
    assertThat(layers).hasSize(3).first().isEqualTo(layers(base).getFirst());
  }

  @Test
  void aChangedApplicationFileChangesOnlyTheTopLayer() throws IOException {
    BuiltImage v1 = build(site(registry.host() + "/demo/layers:1", "v1\n"));
    BuiltImage v2 = build(site(registry.host() + "/demo/layers:2", "v2\n"));
    assertThat(v2.digest()).isNotEqualTo(v1.digest());
    List<String> l1 = layers(v1.reference());
    List<String> l2 = layers(v2.reference());
    assertThat(l2.subList(0, 2)).isEqualTo(l1.subList(0, 2));
    assertThat(l2.get(2)).isNotEqualTo(l1.get(2));
  }

  @Test
  void aMissingBaseFailsWithAReasonNamingIt() throws IOException {
    BuildSpec spec = site(registry.host() + "/demo/nobase:1", "x");
    Path work = Files.createDirectories(dir.resolve("work-missing"));
    assertThatThrownBy(
            () -> builder.build(spec, registry.host() + "/demo/nothing:9", Map.of(), work, l -> {}))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining(
            "cannot resolve the base image " + registry.host() + "/demo/nothing:9");
  }

  @Test
  void anUnreachableTargetRegistryFailsWithAClearReason() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    BuildSpec spec = site("127.0.0.1:" + closed + "/demo/site:1", "x");
    Path work = Files.createDirectories(dir.resolve("work-unreachable"));
    assertThatThrownBy(() -> builder.build(spec, base, Map.of(), work, l -> {}))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("cannot reach the registry");
  }
}
