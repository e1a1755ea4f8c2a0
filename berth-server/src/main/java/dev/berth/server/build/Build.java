package dev.berth.server.build;

import dev.berth.oci.build.BuildSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * One build: its spec, where it is, and what it produced or why it failed.
 *
 * @param id the build's number
 * @param spec what was asked for
 * @param team the team the build belongs to; {@code null} for a template's build (everyone's to
 *     read)
 * @param forTemplate the template this build produces the image of, or {@code null}
 * @param state queued, running, succeeded or failed
 * @param digest the pushed image's manifest digest once succeeded
 * @param base the base the build used, pinned to its digest ({@code scratch} for none)
 * @param cause why the build was started ("api", "portal", "base template 'os' rebuilt ...")
 * @param reason why it failed
 * @param log the build's log lines (kept to the last {@code berth.builds.log-lines})
 */
public record Build(
    long id,
    BuildSpec spec,
    String team,
    String forTemplate,
    BuildState state,
    String digest,
    String base,
    String cause,
    String reason,
    String log,
    String createdBy,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt) {

  /** The pushed image pinned to its digest, once succeeded. */
  public String pinnedImage() {
    return digest == null
        ? null
        : dev.berth.oci.ImageReference.parse(spec.image()).withDigest(digest).toString();
  }

  /** How long the build ran, or has run until {@code now}; {@code null} before it started. */
  public Duration duration(Instant now) {
    if (startedAt == null) {
      return null;
    }
    return Duration.between(startedAt, endedAt != null ? endedAt : now);
  }

  public Build withLog(String newLog) {
    return new Build(
        id,
        spec,
        team,
        forTemplate,
        state,
        digest,
        base,
        cause,
        reason,
        newLog,
        createdBy,
        createdAt,
        startedAt,
        endedAt);
  }
}
