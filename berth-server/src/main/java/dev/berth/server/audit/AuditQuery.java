package dev.berth.server.audit;

import java.time.Instant;

/**
 * A search over the audit log, newest first: by actor, object ({@code name} or {@code kind/name}),
 * action (exactly, or a prefix ending in {@code .} such as {@code app.}) and time; {@code beforeId}
 * > 0 continues after the last entry of the previous page.
 */
public record AuditQuery(
    String actor, String object, String action, Instant since, long beforeId, int limit) {}
