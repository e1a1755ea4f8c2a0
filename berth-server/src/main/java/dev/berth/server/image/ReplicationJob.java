package dev.berth.server.image;

import java.time.Instant;

/**
 * One image copied (or being copied) to one target, as {@code GET /api/v1/replications/{name}/jobs}
 * shows it. {@code state} is {@code running}, {@code succeeded}, {@code up-to-date} or {@code
 * failed}; {@code latencyMs} runs from the push at the source to the copy's end (push-triggered
 * jobs only).
 */
public record ReplicationJob(
    String id,
    String rule,
    String trigger,
    String source,
    String target,
    String repository,
    String tag,
    String state,
    String digest,
    long bytes,
    int blobsCopied,
    int blobsSkipped,
    int attempts,
    String reason,
    Instant pushedAt,
    Instant startedAt,
    Instant endedAt,
    Long durationMs,
    Long latencyMs) {}
