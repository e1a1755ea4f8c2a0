package dev.berth.server.user;

import java.util.Locale;

/**
 * What a user may do. {@code ADMIN} manages users, teams and clusters; {@code MEMBER} deploys and
 * operates applications and tasks; {@code VIEWER} only reads. Spring Security sees them as the
 * authorities {@code ROLE_ADMIN}, {@code ROLE_MEMBER} and {@code ROLE_VIEWER}.
 */
public enum Role {
  ADMIN,
  MEMBER,
  VIEWER;

  /** The Spring Security authority, e.g. {@code ROLE_ADMIN}. */
  public String authority() {
    return "ROLE_" + name();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
