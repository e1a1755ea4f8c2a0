package dev.berth.core.app;

/**
 * What a user asks for when creating or replacing an application. {@code instances} null means
 * "keep" on update and 1 on create; {@code version} null skips the optimistic-concurrency check.
 */
public record AppRequest(
    String name, String team, String cluster, AppSpec spec, Integer instances, Long version) {}
