package dev.berth.server.gateway;

import java.time.Instant;

/**
 * The gateway as the API and portal show it.
 *
 * @param configHash SHA-256 of the config on disk (first 16 hex digits)
 * @param lastApply when Berth last wrote a config nginx accepted
 * @param reloads reloads since this Berth started (endpoint changes never reload)
 * @param restarts times Berth found the managed nginx dead and started it again
 * @param lastError nginx's words about the last refused config, or why it could not be reached
 * @param workerPid a worker's pid: it changes on every reload or restart, and only then
 */
public record GatewayStatus(
    boolean enabled,
    String mode,
    String listen,
    boolean running,
    Long masterPid,
    Long workerPid,
    String configHash,
    Instant lastApply,
    long reloads,
    long restarts,
    String lastError,
    int routes,
    int upstreams) {}
