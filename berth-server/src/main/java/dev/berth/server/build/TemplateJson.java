package dev.berth.server.build;

import dev.berth.oci.build.BuildSpec;
import java.time.Instant;

/**
 * A build template as the API takes it ({@code name}, {@code spec}) and shows it.
 *
 * @param imageReference the template's image pinned to the digest of its last successful build
 * @param build on create or rebuild: the build that was started
 */
public record TemplateJson(
    String name,
    BuildSpec spec,
    String digest,
    String imageReference,
    Long lastBuild,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    BuildJson build) {

  static TemplateJson of(BuildTemplate t, BuildJson build) {
    return new TemplateJson(
        t.name(),
        t.spec(),
        t.digest(),
        t.image().orElse(null),
        t.lastBuild(),
        t.createdBy(),
        t.createdAt(),
        t.updatedAt(),
        build);
  }
}
