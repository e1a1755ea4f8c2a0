package dev.berth.server.pipeline;

import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.support.ConflictException;
import dev.berth.oci.ImageReference;
import dev.berth.server.image.RegistryDirectory;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Turns an app's image reference into the same repository pinned to a digest ({@code
 * registry/repo@sha256:…}), so that a promotion moves exactly the bytes that ran: a reference with
 * a digest stays as it is; a tag is resolved by the cluster the app runs on (the local runtime asks
 * the registry with Berth's credentials), else by the registry as Berth's image centre knows it.
 */
@Component
public class DigestPinning {
  private final ClusterRegistry clusters;
  private final RegistryDirectory registries;

  public DigestPinning(ClusterRegistry clusters, RegistryDirectory registries) {
    this.clusters = clusters;
    this.registries = registries;
  }

  /**
   * The image pinned to its digest.
   *
   * @param cluster the cluster whose runtime resolves a tag first
   * @throws ConflictException when no digest can be had (say why, and how to pin it by hand)
   */
  public String pin(String image, String cluster) {
    ImageReference ref = ImageReference.parse(image);
    if (ref.digest() != null) {
      return image;
    }
    String why;
    try {
      String resolved = clusters.require(cluster).resolveImage(image);
      if (resolved != null && resolved.startsWith("sha256:")) {
        return ref.withDigest(resolved).toString();
      }
      why = "cluster " + cluster + " pulls images itself and does not resolve tags";
    } catch (RuntimeException e) {
      why = e.getMessage();
    }
    Optional<String> registry = registries.nameOfHost(ref.registry());
    if (registry.isPresent()) {
      try {
        return ref.withDigest(registries.client(registry.get()).headManifest(ref)).toString();
      } catch (RuntimeException e) {
        why = e.getMessage();
      }
    }
    throw new ConflictException(
        "cannot pin "
            + image
            + " to a digest ("
            + why
            + "); add its registry to Berth's registries, or release the image by digest"
            + " (repository@sha256:…) in the first environment");
  }

  /** The digest part of an image reference pinned by {@link #pin}, or null. */
  public static String digestOf(String image) {
    return ImageReference.parse(image).digest();
  }
}
