package dev.berth.server.access;

import java.security.Principal;
import java.time.Instant;

/**
 * A signed-in person or automation account. It is the principal of every authenticated request, so
 * {@code Authentication.getName()} and {@code Principal.getName()} give {@link #name()}.
 */
public record User(String name, Role role, Instant createdAt) implements Principal {
  @Override
  public String getName() {
    return name;
  }
}
