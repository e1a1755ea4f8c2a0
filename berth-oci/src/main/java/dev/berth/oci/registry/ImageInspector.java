package dev.berth.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.ImageContentException;
import dev.berth.oci.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what a reference names in a registry as an {@link ImageDetail}: the manifest or index, each
 * child manifest, and each image config's {@code created} time and platform. Configs are small;
 * they are read whole, up to {@value #MAX_CONFIG} bytes. Thread-safe; every call goes to the
 * registry (callers cache by digest: manifests and configs never change under their digest).
 */
public final class ImageInspector {
  /** The largest image config read. */
  public static final int MAX_CONFIG = 4 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final RegistryClient client;

  public ImageInspector(RegistryClient client) {
    this.client = client;
  }

  /**
   * Describes the manifest or index the reference names.
   *
   * @throws dev.berth.core.runtime.ImageNotFoundException no such repository, tag or digest
   */
  public ImageDetail describe(ImageReference ref) {
    Manifest top = client.getManifest(ref);
    List<ImageDetail.Image> images = new ArrayList<>();
    Set<String> counted = new HashSet<>();
    long size = top.size();
    if (top.isIndex()) {
      for (Descriptor child : top.manifests()) {
        Manifest m = client.getManifest(ref.withDigest(child.digest()));
        if (m.isIndex()) {
          continue; // nested indexes are rare (attestations); they are listed by their parent only
        }
        ImageDetail.Image image = image(ref, m, child.platform());
        images.add(image);
        size += m.size() + unique(m, counted);
      }
    } else {
      images.add(image(ref, top, null));
      size += unique(top, counted);
    }
    Instant created =
        images.stream()
            .map(ImageDetail.Image::created)
            .filter(c -> c != null)
            .max(Instant::compareTo)
            .orElse(null);
    return new ImageDetail(top.digest(), top.mediaType(), created, size, images);
  }

  private ImageDetail.Image image(ImageReference ref, Manifest m, Platform fromIndex) {
    Descriptor config = m.config();
    JsonNode json = config(ref, config.digest());
    Platform platform =
        fromIndex != null
            ? fromIndex
            : new Platform(
                json.path("os").asText(""),
                json.path("architecture").asText(""),
                json.path("variant").asText(""));
    long size = m.size() + m.blobs().stream().mapToLong(d -> Math.max(0, d.size())).sum();
    return new ImageDetail.Image(
        m.digest(), m.mediaType(), platform, created(json), size, config, m.layers());
  }

  private JsonNode config(ImageReference ref, String digest) {
    try (InputStream in = client.openBlob(ref, digest)) {
      byte[] bytes = in.readNBytes(MAX_CONFIG + 1);
      if (bytes.length > MAX_CONFIG) {
        throw new ImageContentException(
            "image config "
                + digest
                + " of "
                + ref.name()
                + " is larger than "
                + MAX_CONFIG
                + " bytes");
      }
      in.readAllBytes(); // reach the end so the digest is verified
      return JSON.readTree(bytes);
    } catch (IOException e) {
      if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
        throw new ImageContentException(
            "image config " + digest + " of " + ref.name() + " is not valid JSON", e);
      }
      throw new UncheckedIOException("cannot read image config " + digest + " of " + ref.name(), e);
    }
  }

  /** The config's {@code created} time, or null when absent or unreadable. */
  static Instant created(JsonNode config) {
    String text = config.path("created").asText("");
    if (text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static long unique(Manifest m, Set<String> counted) {
    long sum = 0;
    for (Descriptor d : m.blobs()) {
      if (counted.add(d.digest())) {
        sum += Math.max(0, d.size());
      }
    }
    return sum;
  }
}
