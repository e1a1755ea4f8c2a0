package dev.berth.server.image;

import java.time.Instant;

/**
 * A registry's repositories under {@code prefix} belong to {@code team}. The prefix is whole path
 * segments ending in {@code /} ({@code shop/} holds {@code shop/cart} and {@code shop/cart/db}, and
 * the repository {@code shop} itself, but not {@code shopping}).
 */
public record RepositoryTeam(
    String registry, String prefix, String team, String createdBy, Instant createdAt) {}
