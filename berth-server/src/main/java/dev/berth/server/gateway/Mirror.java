package dev.berth.server.gateway;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A sample of {@code app}'s requests copied to {@code target} through the gateway; the copies'
 * answers are discarded. Stopped by itself when the app's p99 latency rises by more than {@code
 * maxP99RisePercent} over {@code baselineP99Seconds}, the p99 before it started.
 */
public record Mirror(
    String app,
    @Schema(example = "shop-canary", description = "the app the copies go to") String target,
    @Schema(
            example = "http",
            description = "the target's port; the app's first route's when left out")
        String port,
    @Schema(example = "10", description = "percent of requests copied, 1 to 100") int percent,
    @Schema(example = "65536", description = "requests with larger bodies are not copied")
        long maxBodyBytes,
    @Schema(
            example = "20",
            description = "stop when the app's p99 latency rises by more than this percentage")
        int maxP99RisePercent,
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) Double baselineP99Seconds,
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) boolean active,
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) String stoppedReason,
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) String createdBy,
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) Instant updatedAt) {

  Mirror stopped(String reason, Instant at) {
    return new Mirror(
        app,
        target,
        port,
        percent,
        maxBodyBytes,
        maxP99RisePercent,
        baselineP99Seconds,
        false,
        reason,
        createdBy,
        at);
  }

  NginxConfig.MirrorRule rule() {
    return new NginxConfig.MirrorRule(app, target, port, percent, maxBodyBytes);
  }
}
