package dev.berth.server.user;

import dev.berth.server.access.TokenScope;
import java.time.Instant;

/**
 * An API token's metadata; the secret itself is stored only as its SHA-256 hash. {@code expiresAt}
 * null means it never expires; {@code lastUsedAt} is updated at most once a minute; {@code scope}
 * null means it may do whatever its user may.
 */
public record ApiToken(
    String id,
    String user,
    String name,
    Instant createdAt,
    Instant expiresAt,
    Instant lastUsedAt,
    TokenScope scope) {
  public ApiToken(
      String id,
      String user,
      String name,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt) {
    this(id, user, name, createdAt, expiresAt, lastUsedAt, null);
  }
}
