package dev.berth.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.ImageContentException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A manifest or index as the registry served it: its exact bytes (whose sha256 is {@code digest}),
 * its media type, and typed views of the parts Berth needs. Immutable apart from the byte array,
 * which callers must not modify.
 */
public record Manifest(String mediaType, String digest, byte[] body) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses the media type from the body when the header gave none (or a generic JSON type).
   *
   * @throws ImageContentException the body is not JSON or has no recognisable media type
   */
  public static Manifest of(String contentType, String digest, byte[] body) {
    JsonNode json = parse(body, digest);
    String type = json.path("mediaType").asText("");
    if (type.isEmpty()) {
      type = contentType == null ? "" : contentType.split(";")[0].trim();
    }
    if (!MediaTypes.isIndex(type) && !MediaTypes.isManifest(type)) {
      if (json.has("manifests")) {
        type = MediaTypes.OCI_INDEX;
      } else if (json.has("layers") && json.has("config")) {
        type = MediaTypes.OCI_MANIFEST;
      } else {
        throw new ImageContentException(
            "manifest " + digest + " has unsupported media type '" + type + "'");
      }
    }
    return new Manifest(type, digest, body);
  }

  public boolean isIndex() {
    return MediaTypes.isIndex(mediaType);
  }

  /** The config descriptor of an image manifest. */
  public Descriptor config() {
    requireImage();
    return descriptor(json().path("config"));
  }

  /** The layers of an image manifest, base layer first. */
  public List<Descriptor> layers() {
    requireImage();
    List<Descriptor> layers = new ArrayList<>();
    json().path("layers").forEach(node -> layers.add(descriptor(node)));
    return layers;
  }

  /** The config and then the layers of an image manifest: every blob it references. */
  public List<Descriptor> blobs() {
    List<Descriptor> all = new ArrayList<>();
    all.add(config());
    all.addAll(layers());
    return all;
  }

  /** The size of the manifest's own bytes. */
  public long size() {
    return body.length;
  }

  /** The entries of an index, with their platforms. */
  public List<Descriptor> manifests() {
    if (!isIndex()) {
      throw new IllegalStateException(digest + " is an image manifest, not an index");
    }
    List<Descriptor> entries = new ArrayList<>();
    json().path("manifests").forEach(node -> entries.add(descriptor(node)));
    return entries;
  }

  /** The index entry for a platform. */
  public Optional<Descriptor> manifestFor(Platform platform) {
    return manifests().stream().filter(d -> platform.matches(d.platform())).findFirst();
  }

  private void requireImage() {
    if (isIndex()) {
      throw new IllegalStateException(digest + " is an index, not an image manifest");
    }
  }

  private JsonNode json() {
    return parse(body, digest);
  }

  private static JsonNode parse(byte[] body, String digest) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new ImageContentException("manifest " + digest + " is not valid JSON", e);
    }
  }

  private Descriptor descriptor(JsonNode node) {
    String d = node.path("digest").asText("");
    if (d.isEmpty()) {
      throw new ImageContentException("manifest " + digest + " has a descriptor without digest");
    }
    JsonNode p = node.get("platform");
    Platform platform =
        p == null
            ? null
            : new Platform(
                p.path("os").asText(""),
                p.path("architecture").asText(""),
                p.path("variant").asText(""));
    return new Descriptor(
        node.path("mediaType").asText(""), d, node.path("size").asLong(-1), platform);
  }
}
