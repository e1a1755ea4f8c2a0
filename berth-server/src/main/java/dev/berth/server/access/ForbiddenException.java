package dev.berth.server.access;

import dev.berth.core.support.BerthException;

/**
 * The caller is signed in but lacks a permission. The API answers 403 with a problem naming {@code
 * permission} (and {@code team} for a team permission); the portal shows the sentence.
 */
public class ForbiddenException extends BerthException {
  private final String permission;
  private final String team;

  public ForbiddenException(Caller caller, Permission permission, String team) {
    super(message(caller, permission, team));
    this.permission = permission.id();
    this.team = permission.isTeamPermission() ? team : null;
  }

  private static String message(Caller caller, Permission permission, String team) {
    String who = "user '" + caller.name() + "'";
    if (!permission.isTeamPermission()) {
      return who + " lacks permission '" + permission.id() + "', which only admins hold";
    }
    String role = caller.role(team).map(r -> " (role " + r + ")").orElse(" (not a member)");
    return who
        + " lacks permission '"
        + permission.id()
        + "' in team '"
        + team
        + "'"
        + role
        + "; it needs role "
        + permission.teamRole()
        + " or higher there: ask an owner of '"
        + team
        + "' or an admin";
  }

  public String permission() {
    return permission;
  }

  public String team() {
    return team;
  }
}
