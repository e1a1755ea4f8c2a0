package dev.berth.core.alert;

import java.util.List;
import java.util.Map;

/**
 * A rule as a client sent it, before {@link RuleValidator} checks it. {@code threshold} is whatever
 * JSON value came (it must be a number); durations are text ({@code 5m}).
 */
public record RuleRequest(
    String name,
    String team,
    String metric,
    String per,
    String function,
    String window,
    String op,
    Object threshold,
    String forDuration,
    String severity,
    Map<String, String> labels,
    Map<String, String> match,
    List<String> events,
    String summary,
    Boolean enabled) {}
