package dev.berth.server.access;

import java.util.Locale;

/**
 * A user's platform-wide role. {@code ADMIN} may do everything, in every team, and alone manages
 * users, teams, clusters and the audit log; {@code MEMBER} is a plain account whose rights come
 * from its team roles ({@link TeamRole}). Spring Security sees them as {@code ROLE_ADMIN} and
 * {@code ROLE_MEMBER}. (Before teams existed there was a platform {@code VIEWER}; migration V6 made
 * such users viewers of team {@code default}, and {@code MEMBER}s developers of it.)
 */
public enum Role {
  ADMIN,
  MEMBER;

  /** Parses {@code admin} or {@code member}, case-insensitive. */
  public static Role parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }

  /** The Spring Security authority, e.g. {@code ROLE_ADMIN}. */
  public String authority() {
    return "ROLE_" + name();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
