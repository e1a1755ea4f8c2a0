package dev.berth.oci.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.TarImage;
import dev.berth.oci.registry.Credentials;
import dev.berth.oci.testing.TestLayer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layering and reproducibility of built images, without a registry: images from scratch are
 * containerized into an OCI tar whose manifest, config and layers are read back.
 */
class ImageBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private ImageBuilder builder;
  private int builds;

  @BeforeEach
  void setUp() {
    builder =
        new ImageBuilder(
            new ImageBuilder.Settings(
                dir.resolve("cache"), List.of(), Credentials.anonymous(), 64 << 20));
  }

  @AfterEach
  void tearDown() {
    builder.close();
  }

  static BuildSpec spec(String appText, Map<String, String> env) {
    return new BuildSpec(
        "127.0.0.1:5000/demo/web:1",
        BuildSpec.SCRATCH,
        null,
        List.of(
            new LayerSpec(
                "runtime",
                List.of(new FileSpec("/opt/runtime/VERSION", "runtime 1\n", null, "0444")),
                List.of())),
        List.of(
            new FileSpec("/app/b.txt", "b\n", null, null),
            new FileSpec("/app/a.txt", appText, null, "0755")),
        List.of(),
        "/app",
        List.of("/bin/sh"),
        List.of("-c", "cat /app/a.txt"),
        env,
        List.of("8080", "53/udp"),
        "65534",
        Map.of("team", "web"));
  }

  /** Containerizes into a tar and returns the image read back. */
  Image build(BuildSpec spec, Map<String, Path> uploads) throws Exception {
    int n = ++builds;
    Path work = Files.createDirectories(dir.resolve("work-" + n));
    Path tar = dir.resolve("image-" + n + ".tar");
    JibContainer c =
        builder
            .plan(spec, BuildSpec.SCRATCH, uploads, work, line -> {})
            .containerize(
                Containerizer.to(TarImage.at(tar).named("demo/web:1"))
                    .setBaseImageLayersCache(dir.resolve("cache/base"))
                    .setApplicationLayersCache(dir.resolve("cache/app")));
    return Image.read(c.getDigest().toString(), tar);
  }

  @Test
  void theSameInputsGiveTheSameDigest() throws Exception {
    Image first = build(spec("hello\n", Map.of("MODE", "demo", "A", "1")), Map.of());
    Image second =
        build(spec("hello\n", new LinkedHashMap<>(Map.of("A", "1", "MODE", "demo"))), Map.of());
    assertThat(second.digest).isEqualTo(first.digest);
    assertThat(second.layers).isEqualTo(first.layers);
  }

  @Test
  void changingAnApplicationFileChangesOnlyTheTopLayer() throws Exception {
    Image v1 = build(spec("hello\n", Map.of()), Map.of());
    Image v2 = build(spec("hello, world\n", Map.of()), Map.of());
    assertThat(v2.digest).isNotEqualTo(v1.digest);
    assertThat(v1.layers).hasSize(2);
    assertThat(v2.layers.get(0)).as("runtime layer stays").isEqualTo(v1.layers.get(0));
    assertThat(v2.layers.get(1)).as("app layer changes").isNotEqualTo(v1.layers.get(1));
  }

  @Test
  void layersHoldTheFilesSortedWithTheirModesAndAFixedTime() throws Exception {
    Image image = build(spec("hello\n", Map.of()), Map.of());
    List<TarArchiveEntry> app = image.entries(1);
    assertThat(app)
        .extracting(TarArchiveEntry::getName)
        .containsExactly("app/", "app/a.txt", "app/b.txt");
    assertThat(app.get(1).getMode() & 0777).isEqualTo(0755);
    assertThat(app.get(2).getMode() & 0777).isEqualTo(0644);
    assertThat(app)
        .allSatisfy(
            e -> {
              assertThat(e.getModTime().toInstant()).isEqualTo(LayerStager.FILE_TIME);
              assertThat(e.getLongUserId()).isZero();
            });
    assertThat(image.entries(0))
        .extracting(TarArchiveEntry::getName)
        .containsExactly("opt/", "opt/runtime/", "opt/runtime/VERSION");
    assertThat(image.entries(0).get(2).getMode() & 0777).isEqualTo(0444);
  }

  @Test
  void theConfigCarriesTheRuntimeSettingsAndAFixedCreationTime() throws Exception {
    JsonNode config = build(spec("hello\n", Map.of("MODE", "demo")), Map.of()).config;
    assertThat(config.path("created").asText()).startsWith("1970-01-01T00:00:00");
    JsonNode c = config.path("config");
    assertThat(c.path("Entrypoint").toString()).isEqualTo("[\"/bin/sh\"]");
    assertThat(c.path("Cmd").toString()).isEqualTo("[\"-c\",\"cat /app/a.txt\"]");
    assertThat(c.path("Env").toString()).contains("MODE=demo");
    assertThat(c.path("WorkingDir").asText()).isEqualTo("/app");
    assertThat(c.path("User").asText()).isEqualTo("65534");
    assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(c.path("ExposedPorts").has("53/udp")).isTrue();
    assertThat(c.path("Labels").path("team").asText()).isEqualTo("web");
  }

  @Test
  void unpacksAnUploadedArchiveIntoTheTargetDirectoryKeepingModes() throws Exception {
    Path tgz = dir.resolve("site.tgz");
    Files.write(
        tgz,
        TestLayer.create()
            .dir("static", 0755)
            .file("static/index.html", "<h1>hi</h1>", 0644)
            .file("run.sh", "echo hi", 0750)
            .tarGz());
    BuildSpec spec =
        new BuildSpec(
            "127.0.0.1:5000/demo/site:1",
            BuildSpec.SCRATCH,
            null,
            List.of(),
            List.of(),
            List.of(new ArchiveSpec("site", "/srv")),
            null,
            null,
            null,
            Map.of(),
            List.of(),
            null,
            Map.of());
    Image image = build(spec, Map.of("site", tgz));
    List<TarArchiveEntry> entries = image.entries(0);
    assertThat(entries)
        .extracting(TarArchiveEntry::getName)
        .containsExactly("srv/", "srv/run.sh", "srv/static/", "srv/static/index.html");
    assertThat(entries.get(1).getMode() & 0777).isEqualTo(0750);
    assertThat(image.content(0, "srv/static/index.html")).isEqualTo("<h1>hi</h1>");
  }

  @Test
  void refusesAnArchiveWithASymlinkNamingTheEntry() throws Exception {
    Path tar = dir.resolve("links.tar");
    Files.write(tar, TestLayer.create().file("a", "a", 0644).symlink("b", "/etc/passwd").tar());
    BuildSpec spec =
        new BuildSpec(
            "127.0.0.1:5000/demo/site:1",
            BuildSpec.SCRATCH,
            null,
            List.of(),
            List.of(),
            List.of(new ArchiveSpec("links", null)),
            null,
            null,
            null,
            Map.of(),
            List.of(),
            null,
            Map.of());
    assertThatThrownBy(() -> build(spec, Map.of("links", tar)))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("'links'")
        .hasMessageContaining("entry 'b' is a symlink");
  }

  /** An image read back from jib's OCI tar. */
  record Image(String digest, List<String> layers, JsonNode config, Map<String, byte[]> blobs) {
    static Image read(String digest, Path tar) throws IOException {
      Map<String, byte[]> files = new HashMap<>();
      try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
          if (e.isFile()) {
            files.put(e.getName(), in.readAllBytes());
          }
        }
      }
      JsonNode index = JSON.readTree(files.get("index.json"));
      String manifestDigest = index.path("manifests").get(0).path("digest").asText();
      JsonNode manifest = JSON.readTree(blob(files, manifestDigest));
      List<String> layers = new ArrayList<>();
      manifest.path("layers").forEach(l -> layers.add(l.path("digest").asText()));
      JsonNode config = JSON.readTree(blob(files, manifest.path("config").path("digest").asText()));
      Map<String, byte[]> blobs = new HashMap<>();
      layers.forEach(l -> blobs.put(l, blob(files, l)));
      return new Image(manifestDigest, layers, config, blobs);
    }

    static byte[] blob(Map<String, byte[]> files, String digest) {
      byte[] b = files.get("blobs/sha256/" + digest.substring("sha256:".length()));
      assertThat(b).as("blob " + digest + " in " + files.keySet()).isNotNull();
      return b;
    }

    List<TarArchiveEntry> entries(int layer) throws IOException {
      List<TarArchiveEntry> entries = new ArrayList<>();
      try (TarArchiveInputStream in =
          new TarArchiveInputStream(
              new GZIPInputStream(
                  new java.io.ByteArrayInputStream(blobs.get(layers.get(layer)))))) {
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
          entries.add(e);
        }
      }
      return entries;
    }

    String content(int layer, String name) throws IOException {
      try (TarArchiveInputStream in =
          new TarArchiveInputStream(
              new GZIPInputStream(
                  new java.io.ByteArrayInputStream(blobs.get(layers.get(layer)))))) {
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
          if (e.getName().equals(name)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
          }
        }
      }
      throw new AssertionError(name + " not in layer " + layer);
    }
  }
}
