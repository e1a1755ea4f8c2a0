package dev.berth.server.build;

import dev.berth.oci.build.BuildSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * A build as the API shows it.
 *
 * @param team the team the build belongs to; none for a template's build
 * @param imageReference the pushed image pinned to its digest, ready for an app's {@code image}
 * @param durationSeconds how long it ran (so far, while running)
 * @param log the build log; only on {@code GET /api/v1/builds/{id}}
 */
public record BuildJson(
    long id,
    String team,
    String state,
    String image,
    String digest,
    String imageReference,
    String base,
    String template,
    String forTemplate,
    String cause,
    String reason,
    Double durationSeconds,
    String createdBy,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt,
    BuildSpec spec,
    String log) {

  static BuildJson of(Build b, Instant now) {
    Duration d = b.duration(now);
    return new BuildJson(
        b.id(),
        b.team(),
        b.state().toString(),
        b.spec().image(),
        b.digest(),
        b.pinnedImage(),
        b.base(),
        b.spec().template(),
        b.forTemplate(),
        b.cause(),
        b.reason(),
        d == null ? null : d.toMillis() / 1000.0,
        b.createdBy(),
        b.createdAt(),
        b.startedAt(),
        b.endedAt(),
        b.spec(),
        b.log());
  }
}
