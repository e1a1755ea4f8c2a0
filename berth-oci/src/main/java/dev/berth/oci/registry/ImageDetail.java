package dev.berth.oci.registry;

import java.time.Instant;
import java.util.List;

/**
 * What a registry holds under a reference, for people browsing it: for a plain image one entry in
 * {@code images}; for an index one entry per child manifest, each with its platform.
 *
 * @param digest the digest of the manifest or index the reference names
 * @param mediaType its media type
 * @param created the newest {@code created} time of the images' configs, or null when none says
 * @param size bytes of everything referenced (manifests, configs and layers, each blob counted
 *     once)
 * @param images the image manifests, one per platform
 */
public record ImageDetail(
    String digest, String mediaType, Instant created, long size, List<Image> images) {
  public ImageDetail {
    images = List.copyOf(images);
  }

  /** Whether the reference names an index (a multi-platform image). */
  public boolean isIndex() {
    return MediaTypes.isIndex(mediaType);
  }

  /**
   * One image manifest.
   *
   * @param platform from the index entry, else from the config
   * @param created the config's {@code created}, or null
   * @param size manifest + config + layers
   */
  public record Image(
      String digest,
      String mediaType,
      Platform platform,
      Instant created,
      long size,
      Descriptor config,
      List<Descriptor> layers) {
    public Image {
      layers = List.copyOf(layers);
    }
  }
}
