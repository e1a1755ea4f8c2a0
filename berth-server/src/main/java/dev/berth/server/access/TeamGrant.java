package dev.berth.server.access;

import java.util.Objects;

/** A user's role in one team, e.g. {@code payments: developer}. */
public record TeamGrant(String team, TeamRole role) {
  public TeamGrant {
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(role, "role");
  }
}
