package dev.berth.server.task;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of short-lived tasks ({@code berth.tasks.*}, e.g. {@code BERTH_TASKS_KEEP_FAILED_FOR}).
 *
 * @param keepFailedFor how long a failed run kept for debugging ({@code keepOnFailure}) keeps its
 *     container and filesystem before it is reclaimed anyway
 * @param runRetention how long finished, reclaimed runs stay listed
 * @param maxRuns at most this many finished runs are kept; the oldest go first
 * @param callbackBackoff first wait between callback attempts (doubles per attempt)
 * @param pollingInterval how often due fire times are looked for
 */
@ConfigurationProperties("berth.tasks")
public record TaskProperties(
    @DefaultValue("7d") Duration keepFailedFor,
    @DefaultValue("30d") Duration runRetention,
    @DefaultValue("1000000") long maxRuns,
    @DefaultValue("1s") Duration callbackBackoff,
    @DefaultValue("250ms") Duration pollingInterval) {}
