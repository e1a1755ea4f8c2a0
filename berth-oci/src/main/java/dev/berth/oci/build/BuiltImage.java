package dev.berth.oci.build;

import java.util.List;

/**
 * An image a build pushed.
 *
 * @param reference the tagged reference it was pushed to
 * @param digest the manifest digest ({@code sha256:...}): pull {@code reference@digest} to get
 *     exactly it
 * @param imageId the config digest
 * @param base the base pinned to its digest, or {@code scratch}
 * @param layers the names of the layers the build added, lowest first
 */
public record BuiltImage(
    String reference, String digest, String imageId, String base, List<String> layers) {
  public BuiltImage {
    layers = List.copyOf(layers);
  }
}
