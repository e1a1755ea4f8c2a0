package dev.berth.oci;

/**
 * Images on this host: pulled from their registries into the content-addressed blob store and
 * unpacked once into a root filesystem that instances overlay. Safe for concurrent use; two callers
 * preparing the same image share one pull.
 */
public interface ImageStore {
  /**
   * Resolves a reference to the digest of its linux/amd64 manifest without pulling layers.
   *
   * @throws dev.berth.core.runtime.ImageNotFoundException no such repository or tag
   * @throws dev.berth.core.runtime.RegistryUnavailableException registry unreachable or failing
   */
  String resolve(String reference);

  /**
   * Pulls (what is missing) and unpacks the image; returns at once when already prepared.
   *
   * @throws dev.berth.core.runtime.ImageNotFoundException no such repository or tag
   * @throws dev.berth.core.runtime.RegistryUnavailableException registry unreachable or failing
   */
  PreparedImage prepare(String reference);

  /**
   * The directory the store keeps its blobs and unpacked images in (whose filesystem's usage the
   * host metrics report); empty for a store without one.
   */
  default java.util.Optional<java.nio.file.Path> directory() {
    return java.util.Optional.empty();
  }
}
