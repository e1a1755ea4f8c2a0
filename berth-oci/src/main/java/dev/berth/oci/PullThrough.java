package dev.berth.oci;

import java.util.List;

/**
 * Where else to pull an image from when its own registry lacks it: for a replica registry, the
 * origin registry of the replication rule that fills it. Called by {@link OciImageStore} on the
 * pulling thread; implementations must be thread-safe and quick (no network).
 */
public interface PullThrough {
  /**
   * The references to try, in order, for an image its registry does not have (same tag or digest,
   * another registry and possibly another repository); empty when there is no origin.
   */
  List<ImageReference> origins(ImageReference missing);

  /**
   * Told after an image was pulled from an origin instead of its own registry (e.g. to replicate
   * it).
   */
  default void pulledFromOrigin(ImageReference missing, ImageReference origin) {}

  /** No fallback: a missing image is missing. */
  static PullThrough none() {
    return missing -> List.of();
  }
}
