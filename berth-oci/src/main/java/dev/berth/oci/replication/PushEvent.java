package dev.berth.oci.replication;

import java.time.Instant;

/**
 * A push a registry told us about: a manifest stored under a repository and tag.
 *
 * @param repository e.g. {@code team-a/web}
 * @param tag the tag pushed
 * @param digest the manifest's digest, or null when the notification did not say
 * @param pushedAt when the registry received it, or null
 */
public record PushEvent(String repository, String tag, String digest, Instant pushedAt) {}
