package dev.berth.server.access;

import dev.berth.core.support.NotFoundException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The one place that decides what the current caller may do, called by the operations behind the
 * REST API and the portal alike ({@code AppOperations}, {@code TaskOperations}, {@code
 * TeamService}, ...). A caller's rights are read from the database once per request (a role changed
 * or removed counts at the next request, also for open portal sessions) and narrowed to the scope
 * of the token used.
 *
 * <p>Outside a request (controllers, schedules) the caller is {@link Caller#SYSTEM}; inside one
 * without a signed-in user every check fails with 401. An object in a team the caller cannot read
 * is answered as if it did not exist (404), so that names of other teams' apps do not leak; a
 * readable object whose action the caller lacks is a 403 naming the permission.
 */
@Component
public class Access {
  private static final String CACHE = Access.class.getName() + ".CALLER";
  private static final String NARROWING_MET = Access.class.getName() + ".NARROWING_MET";

  private final UserLookup users;
  private final TeamRoles teams;

  public Access(UserLookup users, TeamRoles teams) {
    this.users = users;
    this.teams = teams;
  }

  /**
   * The caller of the current request, or {@link Caller#SYSTEM} outside requests. A caller with a
   * token narrowed to one permission gets a 403 here unless this request already passed a check of
   * that permission ({@link #require}): calls that check nothing, or something else, are not its
   * calls.
   */
  public Caller caller() {
    Caller caller = actor();
    if (caller.narrowedTo() != null && !narrowingMet()) {
      throw ForbiddenException.narrowed(caller, null);
    }
    return caller;
  }

  /**
   * The caller as the audit log names them: like {@link #caller()}, but also a caller whose
   * narrowed token did not fit the call.
   */
  public Caller actor() {
    RequestAttributes request = RequestContextHolder.getRequestAttributes();
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    boolean signedIn =
        auth != null
            && auth.isAuthenticated()
            && !(auth instanceof AnonymousAuthenticationToken)
            && auth.getPrincipal() instanceof User;
    if (!signedIn) {
      if (request != null) {
        throw new AuthenticationCredentialsNotFoundException("sign in or send an API token");
      }
      return Caller.SYSTEM;
    }
    if (request != null
        && request.getAttribute(CACHE, RequestAttributes.SCOPE_REQUEST) instanceof Caller cached
        && cached.name().equals(auth.getName())) {
      return cached;
    }
    Caller caller =
        auth instanceof UserAuthentication ua
            ? of((User) auth.getPrincipal(), ua.tokenId(), ua.scope())
            : of((User) auth.getPrincipal(), null, null);
    if (request != null) {
      request.setAttribute(CACHE, caller, RequestAttributes.SCOPE_REQUEST);
    }
    return caller;
  }

  /**
   * What {@code principal} may do now, narrowed to {@code scope} when they came with a scoped
   * token.
   */
  public Caller of(User principal, String tokenId, TokenScope scope) {
    String via = tokenId == null ? "session" : "token:" + tokenId;
    User user = users.find(principal.name()).orElse(null);
    Permission only = scope == null ? null : scope.permission();
    if (user == null) {
      return new Caller(principal.name(), false, Map.of(), via, scope != null, only);
    }
    boolean admin = user.role() == Role.ADMIN;
    Map<String, TeamRole> roles = teams.rolesOf(user.name());
    if (scope == null) {
      return new Caller(user.name(), admin, roles, via, false);
    }
    Map<String, TeamRole> narrowed = new HashMap<>();
    for (TeamGrant g : scope.teams()) {
      TeamRole mine = admin ? TeamRole.OWNER : roles.get(g.team());
      if (mine != null) {
        narrowed.put(g.team(), mine.atMost(g.role()));
      }
    }
    return new Caller(user.name(), admin && scope.admin(), narrowed, via, true, only);
  }

  /**
   * Requires a team permission in {@code team} (creating there), or a platform permission when team
   * is null.
   */
  public Caller require(Permission permission, String team) {
    Caller caller = narrowing(permission);
    if (!caller.can(permission, team)) {
      throw new ForbiddenException(caller, permission, team);
    }
    return caller;
  }

  /**
   * Requires {@code permission} on an existing object of {@code team}: 404 (as for a missing
   * object) when the caller cannot even read it, through {@code read}; 403 when they can read but
   * not do it.
   */
  public Caller requireOn(
      Permission read, Permission permission, String kind, String name, String team) {
    Caller caller = narrowing(permission);
    if (!caller.can(read, team)) {
      throw new NotFoundException(kind, name);
    }
    if (!caller.can(permission, team)) {
      throw new ForbiddenException(caller, permission, team);
    }
    return caller;
  }

  /**
   * For each of {@code teams}, the ids of the team permissions the caller holds there: what list
   * pages need to offer only the actions a row allows.
   */
  public Map<String, Set<String>> permissionsIn(java.util.Collection<String> teams) {
    Caller caller = caller();
    Map<String, Set<String>> byTeam = new HashMap<>();
    for (String team : teams) {
      if (team != null) {
        byTeam.computeIfAbsent(
            team,
            t ->
                java.util.Arrays.stream(Permission.values())
                    .filter(p -> p.isTeamPermission() && caller.can(p, t))
                    .map(Permission::id)
                    .collect(java.util.stream.Collectors.toSet()));
      }
    }
    return byTeam;
  }

  /**
   * The teams whose objects the caller may read with {@code read}; null means all (admins, system).
   */
  public Set<String> readable(Permission read) {
    return narrowing(read).teamsWith(read);
  }

  /**
   * The caller, after a 403 when their token is narrowed to another permission than {@code needed};
   * a narrowed caller who fits counts as checked for the rest of the request.
   */
  private Caller narrowing(Permission needed) {
    Caller caller = actor();
    if (caller.narrowedTo() != null) {
      if (caller.narrowedTo() != needed) {
        throw ForbiddenException.narrowed(caller, needed);
      }
      RequestAttributes request = RequestContextHolder.getRequestAttributes();
      if (request != null) {
        request.setAttribute(NARROWING_MET, Boolean.TRUE, RequestAttributes.SCOPE_REQUEST);
      }
    }
    return caller;
  }

  private static boolean narrowingMet() {
    RequestAttributes request = RequestContextHolder.getRequestAttributes();
    return request != null
        && Boolean.TRUE.equals(
            request.getAttribute(NARROWING_MET, RequestAttributes.SCOPE_REQUEST));
  }
}
