package dev.berth.server.access;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Who makes a request and what they may do right now: the user, whether they hold the platform
 * admin rights, and their role in each of their teams, already narrowed to the scope of the API
 * token they used. {@code via} says how they signed in ({@code session}, {@code token:<id>} or
 * {@code system}); {@code scoped} whether through a token with a scope; {@code narrowedTo} the one
 * platform permission the token is narrowed to (null: not narrowed), outside which the caller can
 * do nothing.
 */
public record Caller(
    String name,
    boolean admin,
    Map<String, TeamRole> roles,
    String via,
    boolean scoped,
    Permission narrowedTo) {
  /** Berth itself: controllers, schedules and start-up work outside any request. */
  public static final Caller SYSTEM = new Caller("system", true, Map.of(), "system", false);

  public Caller {
    roles = Map.copyOf(roles);
  }

  public Caller(
      String name, boolean admin, Map<String, TeamRole> roles, String via, boolean scoped) {
    this(name, admin, roles, via, scoped, null);
  }

  /** Whether a token narrowed to another permission rules out {@code permission}. */
  public boolean narrowedAway(Permission permission) {
    return narrowedTo != null && narrowedTo != permission;
  }

  /** The caller's role in {@code team}; admins count as owners of every team. */
  public Optional<TeamRole> role(String team) {
    return admin ? Optional.of(TeamRole.OWNER) : Optional.ofNullable(roles.get(team));
  }

  /**
   * Whether the caller holds {@code permission} in {@code team} (ignored for platform permissions).
   */
  public boolean can(Permission permission, String team) {
    if (narrowedAway(permission)) {
      return false;
    }
    if (admin) {
      return true;
    }
    if (!permission.isTeamPermission()) {
      return permission.everyone();
    }
    TeamRole role = team == null ? null : roles.get(team);
    return role != null && role.includes(permission.teamRole());
  }

  /** The teams in which the caller holds {@code permission}; null means every team (admins). */
  public Set<String> teamsWith(Permission permission) {
    if (narrowedAway(permission)) {
      return Set.of();
    }
    if (admin) {
      return null;
    }
    return roles.entrySet().stream()
        .filter(e -> e.getValue().includes(permission.teamRole()))
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  /** The caller's teams and roles, sorted by team, for pages and answers. */
  public Map<String, TeamRole> sortedRoles() {
    return new TreeMap<>(roles);
  }
}
