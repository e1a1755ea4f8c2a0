package dev.berth.oci.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digests;
import dev.berth.oci.ImageReference;
import dev.berth.oci.registry.MediaTypes;
import dev.berth.oci.registry.Platform;
import dev.berth.oci.registry.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real, tiny images for tests, built from the host's static busybox ({@code /bin/busybox}, Debian's
 * {@code busybox-static}) and pushed with {@link RegistryClient}.
 *
 * <p>The busybox image is one gzip layer: {@code /bin/busybox} plus symlinks for {@link #APPLETS},
 * {@code /www/index.html} with the page text, {@code /etc/passwd} and {@code /etc/group} (root and
 * nobody = 65534), {@code /tmp} (1777). Its OCI config is linux/amd64 with {@code Env PATH=/bin}
 * and by default {@code Cmd httpd -f -p 8080 -h /www} (serves the page on port 8080). The build is
 * deterministic: the same inputs give the same manifest digest.
 *
 * <pre>{@code
 * String ref = TestImages.pushBusybox(registry.host() + "/demo/web:1", "hello");
 * PushedImage img = TestImages.busybox().page("v2").cmd("sleep", "60").push(client, ref);
 * PushedImage top = TestImages.busybox().layer(TestLayer.create().whiteout("www/index.html")).push(client, ref2);
 * PushedImage idx = TestImages.pushIndex(client, ref3, amd64, arm64);
 * }</pre>
 *
 * All methods are thread-safe; builders are not.
 */
public final class TestImages {
  /** The busybox applets linked in {@code /bin}. */
  public static final List<String> APPLETS =
      List.of(
          "sh",
          "ls",
          "cat",
          "echo",
          "sleep",
          "true",
          "false",
          "httpd",
          "wget",
          "nc",
          "kill",
          "ps",
          "env",
          "head",
          "tail",
          "id",
          "hostname",
          "mkdir",
          "rm",
          "touch",
          "dd",
          "yes",
          "seq",
          "grep",
          "tr",
          "wc",
          "date",
          "uname");

  /** The {@code created} time of images unless {@link Builder#created} says otherwise. */
  public static final String DEFAULT_CREATED = "2024-01-01T00:00:00Z";

  /** The default command: busybox httpd serving {@code /www} on port 8080 in the foreground. */
  public static final List<String> DEFAULT_CMD = List.of("httpd", "-f", "-p", "8080", "-h", "/www");

  private static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestImages() {}

  /** An image pushed to a registry; {@code toString()} is the reference. */
  public record PushedImage(
      String reference, String digest, String mediaType, long size, Platform platform) {
    /** The reference pinned to the digest: {@code host/repo@sha256:...}. */
    public String pinned() {
      return ImageReference.parse(reference).withDigest(digest).toString();
    }

    @Override
    public String toString() {
      return reference;
    }
  }

  /** Builds the default busybox image with the page and pushes it anonymously; returns the ref. */
  public static String pushBusybox(String reference, String pageText) {
    try (RegistryClient client = RegistryClient.anonymous()) {
      return busybox().page(pageText).push(client, reference).reference();
    }
  }

  public static Builder busybox() {
    return new Builder();
  }

  /**
   * Pushes an OCI image index under {@code reference} listing the given images (which must already
   * be in the same repository) with their platforms.
   */
  public static PushedImage pushIndex(
      RegistryClient client, String reference, PushedImage... images) {
    ImageReference ref = ImageReference.parse(reference);
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    for (PushedImage image : images) {
      if (!ImageReference.parse(image.reference()).repository().equals(ref.repository())) {
        throw new IllegalArgumentException(image + " is not in the repository of " + reference);
      }
      ObjectNode entry = manifests.addObject();
      entry.put("mediaType", image.mediaType());
      entry.put("digest", image.digest());
      entry.put("size", image.size());
      ObjectNode platform = entry.putObject("platform");
      platform.put("architecture", image.platform().architecture());
      platform.put("os", image.platform().os());
    }
    byte[] body = bytes(index);
    String digest = client.putManifest(ref, MediaTypes.OCI_INDEX, body);
    return new PushedImage(ref.toString(), digest, MediaTypes.OCI_INDEX, body.length, null);
  }

  /** Describes one busybox image; {@link #push} builds and uploads it. Not thread-safe. */
  public static final class Builder {
    private String page = "hello from berth\n";
    private List<String> cmd = DEFAULT_CMD;
    private List<String> entrypoint = List.of();
    private final List<String> env = new ArrayList<>(List.of("PATH=/bin"));
    private String created = DEFAULT_CREATED;
    private String architecture = "amd64";
    private final List<TestLayer> extraLayers = new ArrayList<>();

    private Builder() {}

    /** The text of {@code /www/index.html}. */
    public Builder page(String text) {
      this.page = text;
      return this;
    }

    public Builder cmd(String... command) {
      this.cmd = List.of(command);
      return this;
    }

    public Builder entrypoint(String... command) {
      this.entrypoint = List.of(command);
      return this;
    }

    /** Adds {@code KEY=value} to the config's Env (after {@code PATH=/bin}). */
    public Builder env(String keyValue) {
      this.env.add(keyValue);
      return this;
    }

    public Builder created(String rfc3339) {
      this.created = rfc3339;
      return this;
    }

    /**
     * The architecture written in the config (the binary stays the host's amd64 busybox: only for
     * index tests).
     */
    public Builder architecture(String arch) {
      this.architecture = arch;
      return this;
    }

    /** Adds a layer on top of the busybox layer (whiteouts, more files). */
    public Builder layer(TestLayer layer) {
      this.extraLayers.add(layer);
      return this;
    }

    /**
     * Builds the image and pushes blobs and manifest to {@code reference} ({@code host/repo:tag}).
     */
    public PushedImage push(RegistryClient client, String reference) {
      ImageReference ref = ImageReference.parse(reference);
      List<TestLayer> layers = new ArrayList<>();
      layers.add(busyboxLayer(page));
      layers.addAll(extraLayers);

      ObjectNode config = JSON.createObjectNode();
      config.put("created", created);
      config.put("architecture", architecture);
      config.put("os", "linux");
      ObjectNode runtime = config.putObject("config");
      strings(runtime.putArray("Env"), env);
      if (!entrypoint.isEmpty()) {
        strings(runtime.putArray("Entrypoint"), entrypoint);
      }
      strings(runtime.putArray("Cmd"), cmd);
      runtime.put("WorkingDir", "/");
      runtime.putObject("ExposedPorts").putObject("8080/tcp");
      ObjectNode rootfs = config.putObject("rootfs");
      rootfs.put("type", "layers");
      ArrayNode diffIds = rootfs.putArray("diff_ids");

      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("schemaVersion", 2);
      manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
      ObjectNode configDescriptor = manifest.putObject("config");
      ArrayNode layerDescriptors = manifest.putArray("layers");
      for (TestLayer layer : layers) {
        byte[] tar = layer.tar();
        diffIds.add(Digests.sha256(tar));
        byte[] gz = TestLayer.gzip(tar);
        String digest = client.uploads().pushBytes(ref, gz);
        ObjectNode d = layerDescriptors.addObject();
        d.put("mediaType", MediaTypes.OCI_LAYER_GZIP);
        d.put("digest", digest);
        d.put("size", gz.length);
      }
      byte[] configBytes = bytes(config);
      configDescriptor.put("mediaType", MediaTypes.OCI_CONFIG);
      configDescriptor.put("digest", client.uploads().pushBytes(ref, configBytes));
      configDescriptor.put("size", configBytes.length);
      byte[] body = bytes(manifest);
      String digest = client.putManifest(ref, MediaTypes.OCI_MANIFEST, body);
      return new PushedImage(
          ref.toString(),
          digest,
          MediaTypes.OCI_MANIFEST,
          body.length,
          new Platform("linux", architecture, ""));
    }
  }

  /** The busybox layer described in the class comment. */
  public static TestLayer busyboxLayer(String page) {
    byte[] busybox;
    try {
      busybox = Files.readAllBytes(BUSYBOX);
    } catch (IOException e) {
      throw new UncheckedIOException(
          BUSYBOX + " is needed for test images: install it with 'apt-get install busybox-static'",
          e);
    }
    TestLayer layer = TestLayer.create().dir("bin", 0755).file("bin/busybox", busybox, 0755);
    APPLETS.stream().sorted().forEach(applet -> layer.symlink("bin/" + applet, "busybox"));
    return layer
        .dir("etc", 0755)
        .file("etc/group", "root:x:0:\nnogroup:x:65534:\n", 0644)
        .file(
            "etc/passwd",
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
            0644)
        .dir("tmp", 01777)
        .dir("www", 0755)
        .file("www/index.html", page, 0644);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static byte[] bytes(ObjectNode json) {
    try {
      return JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
