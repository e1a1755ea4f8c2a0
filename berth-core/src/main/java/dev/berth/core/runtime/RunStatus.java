package dev.berth.core.runtime;

import dev.berth.core.task.RunState;
import java.time.Instant;

/**
 * A run as observed by its runtime. {@code lastExit} is the exit of the last attempt; {@code
 * reclaimed} is true once container, filesystem and cgroup are gone.
 */
public record RunStatus(
    String runId,
    RunState state,
    int attempts,
    ExitInfo lastExit,
    String node,
    String hostIp,
    boolean reclaimed,
    Instant startedAt,
    Instant endedAt,
    String message) {}
