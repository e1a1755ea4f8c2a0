package dev.berth.server.user;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Errors;
import dev.berth.server.access.Role;
import dev.berth.server.access.TeamGrant;
import dev.berth.server.access.TeamRole;
import dev.berth.server.access.User;
import dev.berth.server.audit.AuditEntry;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.team.JdbcTeamStore;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * Berth's side of a sign-in through LDAP or OpenID Connect: creates the user on first sign-in (no
 * password; {@code source} remembers the provider), keeps their platform role in step with the
 * provider's groups, and replaces the team grants from that provider; grants given in Berth stay. A
 * change of user, role or grants is written to the audit log as {@code user.sign-in}, by the user
 * {@code via} the source.
 */
@Service
public class ExternalAccounts implements ExternalSignIn {
  private static final Set<String> SOURCES = Set.of("ldap", "oidc");

  private final UserService users;
  private final JdbcTeamStore teams;
  private final AuditLog audit;
  private final Clock clock;

  public ExternalAccounts(UserService users, JdbcTeamStore teams, AuditLog audit, Clock clock) {
    this.users = users;
    this.teams = teams;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public User signIn(String source, String name, boolean admin, List<TeamGrant> grants) {
    Errors errors = new Errors().dnsLabel(name, "name", 63);
    errors.check(
        SOURCES.contains(source), "source", "must be one of " + SOURCES + ", was '" + source + "'");
    grants.forEach(g -> errors.dnsLabel(g.team(), "team", 63));
    errors.throwIfAny();
    String existingSource = users.source(name).orElse(source);
    if (!existingSource.equals(source)) {
      // Never let an identity provider take over an account of another origin (e.g. the local
      // admin).
      throw new ConflictException(
          "user '"
              + name
              + "' exists as a "
              + existingSource
              + " account; it cannot sign in through "
              + source);
    }
    Map<String, TeamRole> before = new TreeMap<>(grantsFrom(name, source));
    User previous = users.find(name).orElse(null);
    User user = users.upsertExternal(name, source, admin ? Role.ADMIN : Role.MEMBER);
    teams.replaceGrants(name, source, highestPerTeam(grants), clock.instant());
    Map<String, TeamRole> after = new TreeMap<>(grantsFrom(name, source));
    if (previous == null || previous.role() != user.role() || !before.equals(after)) {
      audit.recordBy(
          name,
          source,
          "user.sign-in",
          "user",
          name,
          null,
          AuditEntry.OK,
          (previous == null ? "created from " : "updated from ") + source,
          previous == null
              ? null
              : Map.of("role", previous.role().toString(), "teams", before.toString()),
          Map.of("role", user.role().toString(), "teams", after.toString()));
    }
    return user;
  }

  private Map<String, TeamRole> grantsFrom(String user, String source) {
    Map<String, TeamRole> roles = new TreeMap<>();
    teams.membershipsOf(user).stream()
        .filter(m -> m.source().equals(source))
        .forEach(m -> roles.put(m.team(), m.role()));
    return roles;
  }

  /** Several groups may map to one team: the highest role counts. */
  private static List<TeamGrant> highestPerTeam(List<TeamGrant> grants) {
    Map<String, TeamRole> best = new TreeMap<>();
    grants.forEach(g -> best.merge(g.team(), g.role(), (a, b) -> a.includes(b) ? a : b));
    return best.entrySet().stream()
        .map(e -> new TeamGrant(e.getKey(), e.getValue()))
        .sorted(Comparator.comparing(TeamGrant::team))
        .toList();
  }
}
