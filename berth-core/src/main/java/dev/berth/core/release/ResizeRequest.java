package dev.berth.core.release;

/**
 * A change of a running app's CPU and memory ({@code POST /api/v1/apps/{app}/resize}). A null field
 * keeps the app's value; {@code version} null skips the optimistic-concurrency check.
 */
public record ResizeRequest(Double cpu, Double cpuLimit, Integer memoryMiB, Long version) {}
