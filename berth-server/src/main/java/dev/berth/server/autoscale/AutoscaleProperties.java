package dev.berth.server.autoscale;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The autoscaler ({@code berth.autoscale.*}, e.g. {@code BERTH_AUTOSCALE_INTERVAL}).
 *
 * @param enabled whether the controller evaluates policies at all
 * @param interval how often every policy is evaluated
 * @param metricWindow how far back a rate (CPU seconds, requests) is measured
 * @param history how many decisions are kept per app
 */
@ConfigurationProperties("berth.autoscale")
public record AutoscaleProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("15s") Duration interval,
    @DefaultValue("60s") Duration metricWindow,
    @DefaultValue("200") int history) {}
