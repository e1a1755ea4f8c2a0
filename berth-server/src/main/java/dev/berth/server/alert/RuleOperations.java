package dev.berth.server.alert;

import static dev.berth.server.access.Permission.ALERT_MANAGE;
import static dev.berth.server.access.Permission.ALERT_READ;

import dev.berth.core.alert.AlertRule;
import dev.berth.core.alert.RuleValidator;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.team.TeamService;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Alert rules for the API and the portal: platform rules (no team) are read by everyone and managed
 * by admins; a team's rules are read with {@code alert.read} and managed with {@code alert.manage}
 * (operators and up) in that team. Every change is audited.
 */
@Service
public class RuleOperations {
  private final JdbcAlertConfigStore store;
  private final RuleValidator validator;
  private final Access access;
  private final AuditLog audit;
  private final TeamService teams;
  private final Clock clock;

  RuleOperations(
      JdbcAlertConfigStore store,
      RuleValidator validator,
      Access access,
      AuditLog audit,
      TeamService teams,
      Clock clock) {
    this.store = store;
    this.validator = validator;
    this.access = access;
    this.audit = audit;
    this.teams = teams;
    this.clock = clock;
  }

  public List<RuleJson> list() {
    Caller caller = access.caller();
    return store.rules().stream()
        .filter(r -> readable(caller, r.rule().team()))
        .map(r -> RuleJson.of(r.rule(), r.version()))
        .toList();
  }

  public RuleJson get(String name) {
    JdbcAlertConfigStore.StoredRule r = find(name);
    return RuleJson.of(r.rule(), r.version());
  }

  public RuleJson create(RuleJson body) {
    return audit.change(
        "alert-rule.create",
        "alert-rule",
        body.name(),
        c -> {
          c.team(body.team());
          Caller caller = access.require(ALERT_MANAGE, body.team());
          if (body.team() != null) {
            teams.requireExists(body.team());
          }
          AlertRule rule = validator.validate(body.toRequest(), false);
          store.createRule(rule, caller.name(), clock.instant());
          c.after(RuleJson.of(rule, null));
          return get(rule.name());
        });
  }

  /** Replaces rule {@code name} with {@code body} (a built-in rule stays built-in). */
  public RuleJson replace(String name, RuleJson body) {
    JdbcAlertConfigStore.StoredRule current = find(name);
    return audit.change(
        "alert-rule.update",
        "alert-rule",
        name,
        c -> {
          c.team(current.rule().team());
          Caller caller = access.require(ALERT_MANAGE, current.rule().team());
          if (body.team() != null && !body.team().equals(current.rule().team())) {
            access.require(ALERT_MANAGE, body.team());
            teams.requireExists(body.team());
          }
          if (body.version() != null && body.version() != current.version()) {
            throw new ConflictException(
                "alert rule '"
                    + name
                    + "' is at version "
                    + current.version()
                    + ", not "
                    + body.version()
                    + "; read it again and repeat the change");
          }
          RuleJson named = withName(body, name);
          AlertRule rule = validator.validate(named.toRequest(), current.rule().builtIn());
          store.updateRule(rule, caller.name(), clock.instant());
          c.before(RuleJson.of(current.rule(), current.version())).after(RuleJson.of(rule, null));
          return get(name);
        });
  }

  public void delete(String name) {
    JdbcAlertConfigStore.StoredRule current = find(name);
    audit.change(
        "alert-rule.delete",
        "alert-rule",
        name,
        c -> {
          c.team(current.rule().team());
          access.require(ALERT_MANAGE, current.rule().team());
          if (current.rule().builtIn()) {
            throw new ConflictException(
                "'"
                    + name
                    + "' ships with Berth and cannot be deleted; turn it off with PATCH"
                    + " {\"enabled\": false}");
          }
          c.before(RuleJson.of(current.rule(), current.version()));
          store.deleteRule(name);
          return null;
        });
  }

  private JdbcAlertConfigStore.StoredRule find(String name) {
    JdbcAlertConfigStore.StoredRule r =
        store.rule(name).orElseThrow(() -> new NotFoundException("alert rule", name));
    if (!readable(access.caller(), r.rule().team())) {
      throw new NotFoundException("alert rule", name);
    }
    return r;
  }

  /** Platform objects (no team) are visible to every signed-in user, a team's to its readers. */
  static boolean readable(Caller caller, String team) {
    return team == null || caller.can(ALERT_READ, team);
  }

  private static RuleJson withName(RuleJson b, String name) {
    return new RuleJson(
        name,
        b.team(),
        b.metric(),
        b.per(),
        b.function(),
        b.window(),
        b.op(),
        b.threshold(),
        b.forDuration(),
        b.severity(),
        b.labels(),
        b.match(),
        b.events(),
        b.summary(),
        b.enabled(),
        null,
        null);
  }
}
