package dev.berth.core.runtime;

import dev.berth.core.task.TaskSpec;
import java.time.Duration;

/**
 * One task run as a runtime executes it: a container named {@code runId} running {@code spec} to
 * completion. The runtime enforces {@code timeout} over all attempts (SIGTERM, {@code grace},
 * SIGKILL; state timed_out — a Kubernetes Job's {@code activeDeadlineSeconds}), retries a failed
 * attempt up to {@code retries} times with back-off ({@code backoffLimit}), and after the end
 * reclaims everything unless the run failed and {@code keepOnFailure} is set.
 */
public record RunWorkload(
    String runId,
    String task,
    TaskSpec spec,
    Duration timeout,
    Duration grace,
    int retries,
    boolean keepOnFailure) {}
