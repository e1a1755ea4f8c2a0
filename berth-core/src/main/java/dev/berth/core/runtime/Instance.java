package dev.berth.core.runtime;

import java.time.Instant;

/**
 * One instance as observed by its runtime. {@code id} is {@code <app>-<ordinal>}; {@code ip} stays
 * the same across restarts where the network allows. {@code online} is false when taken out of
 * traffic by hand.
 */
public record Instance(
    String id,
    String app,
    int ordinal,
    String node,
    String ip,
    String hostIp,
    long revision,
    InstanceState state,
    boolean ready,
    int restarts,
    ExitInfo lastExit,
    Instant startedAt,
    boolean online,
    String message) {}
