package dev.berth.server.user;

import static dev.berth.server.access.Permission.USER_CREATE;
import static dev.berth.server.access.Permission.USER_READ;
import static dev.berth.server.access.Permission.USER_TOKENS;

import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.access.ForbiddenException;
import dev.berth.server.access.Permission;
import dev.berth.server.access.Role;
import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import dev.berth.server.access.TokenScope;
import dev.berth.server.access.User;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.team.JdbcTeamStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Users and API tokens as the caller may see and change them, for the API and the portal: admins
 * list and create users and manage anyone's tokens; every user manages their own tokens. A new
 * token never exceeds what its user may do — nor, when the caller came with a scoped token, that
 * token. Every change goes to the audit log (never a secret).
 */
@Service
public class Accounts {
  /** The longest a token may live. */
  public static final Duration MAX_TTL = Duration.ofDays(3650);

  private final UserService users;
  private final JdbcTeamStore teams;
  private final Access access;
  private final AuditLog audit;

  public Accounts(UserService users, JdbcTeamStore teams, Access access, AuditLog audit) {
    this.users = users;
    this.teams = teams;
    this.access = access;
    this.audit = audit;
  }

  /** A user with their teams, as lists show them. */
  public record Account(User user, String source, Map<String, TeamRole> teams) {}

  /** Every user (admins) or only the caller. */
  public List<Account> list() {
    Caller caller = access.caller();
    List<User> shown =
        caller.can(USER_READ, null) ? users.list() : users.find(caller.name()).stream().toList();
    return shown.stream()
        .map(
            u ->
                new Account(
                    u,
                    users.source(u.name()).orElse("local"),
                    new java.util.TreeMap<>(teams.rolesOf(u.name()))))
        .toList();
  }

  public User create(String name, String password, Role role) {
    return audit.change(
        "user.create",
        "user",
        name,
        c -> {
          access.require(USER_CREATE, null);
          User user = users.create(name, password, role);
          c.after(Map.of("role", user.role().toString()));
          return user;
        });
  }

  public List<ApiToken> tokens(String user) {
    requireSelfOrAdmin(user);
    return users.tokens(user);
  }

  /**
   * Issues a token for {@code user}.
   *
   * @param ttl how long it lives; null for ever
   * @param scope what it may do at most; null for whatever its user may (or, when the caller came
   *     with a scoped token, that token's scope)
   */
  public IssuedToken issue(String user, String name, Duration ttl, TokenScope scope) {
    return issue(user, name, ttl, scope, null);
  }

  /**
   * Issues a token for {@code user}, narrowed to one platform permission when {@code permission} is
   * set (its id, e.g. {@code registry.notify}); only a user who holds it gets such a token.
   */
  public IssuedToken issue(
      String user, String name, Duration ttl, TokenScope scope, String permission) {
    return audit.change(
        "token.create",
        "user",
        user,
        c -> {
          Caller caller = requireSelfOrAdmin(user);
          Errors errors = new Errors();
          errors.check(
              ttl == null || (!ttl.isNegative() && !ttl.isZero() && ttl.compareTo(MAX_TTL) <= 0),
              "expiresIn",
              "must be between 1s and " + MAX_TTL.toDays() + "d, e.g. 30d, 12h or PT90M");
          if (scope != null) {
            scope.validate(errors);
          }
          Permission only = narrowing(permission, errors);
          errors.throwIfAny();
          Caller cap =
              user.equals(caller.name())
                  ? caller
                  : access.of(
                      users.find(user).orElseThrow(() -> new NotFoundException("user", user)),
                      null,
                      null);
          TokenScope granted =
              scope == null && !(caller.scoped() && cap == caller) ? null : within(scope, cap);
          if (only != null) {
            if (!cap.can(only, null)) {
              throw new ForbiddenException(cap, only, null);
            }
            granted = (granted == null ? within(null, cap) : granted).narrowedTo(only);
          }
          IssuedToken issued = users.issueToken(user, name, ttl, granted);
          c.detail(
              "token "
                  + issued.token().id()
                  + " '"
                  + name
                  + "'"
                  + (granted == null ? ", unscoped" : ", scope " + granted.format())
                  + (issued.token().expiresAt() == null
                      ? ""
                      : ", expires " + issued.token().expiresAt()));
          return issued;
        });
  }

  /** The platform permission named by {@code permission}, or null when none is named. */
  private static Permission narrowing(String permission, Errors errors) {
    if (permission == null || permission.isBlank()) {
      return null;
    }
    Permission only =
        Permission.byId(permission.strip()).filter(p -> !p.isTeamPermission()).orElse(null);
    errors.check(
        only != null,
        "permission",
        "'"
            + permission.strip()
            + "' is not a platform permission; a token may be narrowed to one of "
            + java.util.Arrays.stream(Permission.values())
                .filter(p -> !p.isTeamPermission())
                .map(Permission::id)
                .toList());
    return only;
  }

  public void revoke(String user, String id) {
    audit.change(
        "token.revoke",
        "user",
        user,
        c -> {
          c.detail("token " + id);
          requireSelfOrAdmin(user);
          users.revokeToken(user, id);
          return null;
        });
  }

  /**
   * The scope a new token gets: what was asked for, checked against {@code cap}; when nothing was
   * asked for, exactly {@code cap}'s rights (a scoped caller's tokens stay within its scope).
   */
  public static TokenScope within(TokenScope asked, Caller cap) {
    if (asked == null) {
      return new TokenScope(
          cap.admin(),
          cap.sortedRoles().entrySet().stream()
              .map(e -> new TeamGrant(e.getKey(), e.getValue()))
              .toList());
    }
    Errors errors = new Errors();
    if (asked.admin() && !cap.admin()) {
      errors.add(
          "admin",
          "user '" + cap.name() + "' (or the token in use) has no admin rights to pass on");
    }
    for (int i = 0; i < asked.teams().size(); i++) {
      TeamGrant g = asked.teams().get(i);
      TeamRole has = cap.role(g.team()).orElse(null);
      if (has == null) {
        errors.add(
            "scopes[" + i + "].team",
            "user '"
                + cap.name()
                + "' has no role in team '"
                + g.team()
                + "'; a token never exceeds its user");
      } else if (!has.includes(g.role())) {
        errors.add(
            "scopes[" + i + "].role",
            "user '"
                + cap.name()
                + "' is "
                + has
                + " in '"
                + g.team()
                + "'; a token may be at most that, not "
                + g.role());
      }
    }
    errors.throwIfAny();
    return asked;
  }

  private Caller requireSelfOrAdmin(String user) {
    Caller caller = access.caller();
    if (!caller.name().equals(user)) {
      if (!caller.can(USER_TOKENS, null)) {
        throw new ForbiddenException(caller, USER_TOKENS, null);
      }
      if (users.find(user).isEmpty()) {
        throw new NotFoundException("user", user);
      }
    }
    return caller;
  }

  /** Parses {@code 30d}, {@code 12h}, {@code 45m} or an ISO-8601 duration; null stays null. */
  public static Duration parseTtl(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    try {
      if (t.matches("\\d{1,6}[dhm]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 'd' -> Duration.ofDays(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofMinutes(n);
        };
      }
      return Duration.parse(t);
    } catch (RuntimeException e) {
      throw ValidationException.of(
          "expiresIn", "must be a duration such as 30d, 12h, 45m or PT90M, was '" + text + "'");
    }
  }
}
