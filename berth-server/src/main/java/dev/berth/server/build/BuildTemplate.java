package dev.berth.server.build;

import dev.berth.oci.ImageReference;
import dev.berth.oci.build.BuildSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * A named, stored build spec whose image is the base of other builds: {@code os} → {@code
 * java-runtime} → an app. Its {@code digest} is that of its last successful build; builds based on
 * it use exactly that digest.
 *
 * @param name a DNS-1123 label
 * @param spec the build spec (its {@code image} is where the template's image is pushed)
 * @param digest the digest of the template's last successful build, or {@code null} before one
 * @param lastBuild the id of its most recent build, or {@code null}
 */
public record BuildTemplate(
    String name,
    BuildSpec spec,
    String digest,
    Long lastBuild,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {
  /** The template's image pinned to its current digest, if it has been built. */
  public Optional<String> image() {
    return Optional.ofNullable(digest)
        .map(d -> ImageReference.parse(spec.image()).withDigest(d).toString());
  }
}
