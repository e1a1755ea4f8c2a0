package dev.berth.server.access;

import dev.berth.core.support.BerthException;

/**
 * The caller is signed in but lacks a permission. The API answers 403 with a problem naming {@code
 * permission} (and {@code team} for a team permission); the portal shows the sentence.
 */
public class ForbiddenException extends BerthException {
  private final String permission;
  private final String team;
  private final String narrowedTo;

  public ForbiddenException(Caller caller, Permission permission, String team) {
    super(message(caller, permission, team));
    this.permission = permission.id();
    this.team = permission.isTeamPermission() ? team : null;
    this.narrowedTo = null;
  }

  private ForbiddenException(String message, String permission, String narrowedTo) {
    super(message);
    this.permission = permission;
    this.team = null;
    this.narrowedTo = narrowedTo;
  }

  /**
   * The caller came with a token narrowed to one permission and this call needs another ({@code
   * asked}; null when the call needs no particular permission but is still outside the narrowing).
   */
  public static ForbiddenException narrowed(Caller caller, Permission asked) {
    return new ForbiddenException(
        "the API token in use is narrowed to permission '"
            + caller.narrowedTo().id()
            + "'"
            + (asked == null
                ? ", and this call is not one of its calls"
                : " and cannot use '" + asked.id() + "'")
            + "; call with a token of user '"
            + caller.name()
            + "' that is not narrowed",
        asked == null ? caller.narrowedTo().id() : asked.id(),
        caller.narrowedTo().id());
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

  /** The permission the caller's token is narrowed to, when that is why it was refused. */
  public String narrowedTo() {
    return narrowedTo;
  }
}
