package dev.berth.server.user;

import java.util.Locale;

/**
 * What a member may do inside one team. {@code OWNER} manages the team's members and may do
 * everything to its apps and tasks; {@code DEVELOPER} deploys, releases, scales and runs tasks;
 * {@code VIEWER} only reads. Platform-wide administration is {@link Role#ADMIN}, not a team role.
 */
public enum TeamRole {
  OWNER,
  DEVELOPER,
  VIEWER;

  /** Parses {@code owner}, {@code developer} or {@code viewer}, case-insensitive. */
  public static TeamRole parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
