package dev.berth.server.access;

import java.util.Locale;
import java.util.Set;

/**
 * What a member may do inside one team, from most to least: {@code OWNER} manages the team's
 * members and may do everything to its apps and tasks; {@code DEVELOPER} creates, changes the spec
 * of, scales and deletes apps and tasks; {@code OPERATOR} releases, restarts and scales but neither
 * edits a spec nor deletes; {@code VIEWER} only reads. Each role may do all that the roles after it
 * may. Platform-wide administration is {@link Role#ADMIN}, not a team role. {@link #permissions()}
 * is the exact list.
 */
public enum TeamRole {
  OWNER,
  DEVELOPER,
  OPERATOR,
  VIEWER;

  /**
   * Parses {@code owner}, {@code developer}, {@code operator} or {@code viewer}, case-insensitive.
   */
  public static TeamRole parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }

  /** Whether this role may do everything {@code other} may. */
  public boolean includes(TeamRole other) {
    return ordinal() <= other.ordinal();
  }

  /** The lesser of this role and {@code cap}: what a token scoped to {@code cap} keeps of it. */
  public TeamRole atMost(TeamRole cap) {
    return includes(cap) ? cap : this;
  }

  /** The team permissions this role grants. */
  public Set<Permission> permissions() {
    return Permission.granted(this);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
