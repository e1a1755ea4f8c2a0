package dev.berth.server.access;

import dev.berth.core.support.Errors;
import java.util.ArrayList;
import java.util.List;

/**
 * What an API token may do, at most: a role in each listed team, and the platform admin rights when
 * {@code admin} is true (only an admin's token can keep them). A token never exceeds its user: at
 * each request its rights are the lesser of this scope and what its user may do then. A token
 * without a scope (null) may do whatever its user may. {@code permission}, when set, narrows the
 * token further to that one platform permission (e.g. {@code registry.notify} for a registry's
 * notifications): every call that needs anything else is refused.
 */
public record TokenScope(boolean admin, List<TeamGrant> teams, Permission permission) {
  public TokenScope {
    teams = List.copyOf(teams);
  }

  public TokenScope(boolean admin, List<TeamGrant> teams) {
    this(admin, teams, null);
  }

  /** This scope narrowed to {@code only} (null: not narrowed). */
  public TokenScope narrowedTo(Permission only) {
    return new TokenScope(admin, teams, only);
  }

  /**
   * The stored form: {@code team=role} entries, {@code admin} and {@code only=<permission>},
   * separated by commas.
   */
  public String format() {
    List<String> parts = new ArrayList<>();
    if (admin) {
      parts.add("admin");
    }
    if (permission != null) {
      parts.add("only=" + permission.id());
    }
    teams.forEach(g -> parts.add(g.team() + "=" + g.role()));
    return String.join(",", parts);
  }

  /** Reads {@link #format()}'s form; null stays null (an unscoped token). */
  public static TokenScope parse(String stored) {
    if (stored == null) {
      return null;
    }
    boolean admin = false;
    Permission only = null;
    List<TeamGrant> grants = new ArrayList<>();
    for (String part : stored.split(",")) {
      if (part.equals("admin")) {
        admin = true;
      } else if (part.startsWith("only=")) {
        only = Permission.byId(part.substring("only=".length())).orElseThrow();
      } else if (!part.isBlank()) {
        int eq = part.indexOf('=');
        grants.add(new TeamGrant(part.substring(0, eq), TeamRole.parse(part.substring(eq + 1))));
      }
    }
    return new TokenScope(admin, grants, only);
  }

  /** Checks team names; duplicates are refused so that each team has one role. */
  public void validate(Errors errors) {
    for (int i = 0; i < teams.size(); i++) {
      errors.dnsLabel(teams.get(i).team(), "scopes[" + i + "].team", 63);
      String team = teams.get(i).team();
      if (teams.stream().filter(g -> g.team().equals(team)).count() > 1) {
        errors.add(
            "scopes[" + i + "].team", "'" + team + "' is listed twice; give each team one role");
      }
    }
  }
}
