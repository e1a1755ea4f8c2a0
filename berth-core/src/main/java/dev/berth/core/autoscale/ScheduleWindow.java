package dev.berth.core.autoscale;

/**
 * A recurring window (cron {@code start} and {@code end}, five fields, in {@code timezone}) during
 * which the count is at least {@code floor} and/or at most {@code ceiling}. It is open from a start
 * until the next end. After it closes its floor steps down by one instance per cool-down, never
 * straight to the policy's minimum.
 */
public record ScheduleWindow(
    String name, String start, String end, String timezone, Integer floor, Integer ceiling) {}
