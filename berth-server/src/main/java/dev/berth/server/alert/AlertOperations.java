package dev.berth.server.alert;

import static dev.berth.server.access.Permission.ALERT_MANAGE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.alert.Alert;
import dev.berth.core.alert.Durations;
import dev.berth.core.alert.Silence;
import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.team.TeamService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;

/**
 * Alerts and silences for the API and the portal. A team's alerts and silences are read with {@code
 * alert.read} in that team, platform ones (no team: nodes, Berth itself) by everyone; silences are
 * made and ended with {@code alert.manage} in their team (platform ones by admins).
 */
@Service
public class AlertOperations {
  static final Duration MAX_SILENCE = Duration.ofDays(90);
  private final JdbcAlertConfigStore config;
  private final JdbcAlertStore store;
  private final Access access;
  private final AuditLog audit;
  private final TeamService teams;
  private final Clock clock;
  private final ObjectMapper json;

  AlertOperations(
      JdbcAlertConfigStore config,
      JdbcAlertStore store,
      Access access,
      AuditLog audit,
      TeamService teams,
      Clock clock,
      ObjectMapper json) {
    this.config = config;
    this.store = store;
    this.access = access;
    this.audit = audit;
    this.teams = teams;
    this.clock = clock;
    this.json = json;
  }

  /** Newest first; {@code state} firing, resolved, pending or null for all. */
  public List<AlertJson> alerts(String state, int limit) {
    String s = null;
    if (state != null && !state.isBlank()) {
      s = state.toUpperCase(Locale.ROOT);
      if (!List.of("FIRING", "RESOLVED", "PENDING").contains(s)) {
        throw dev.berth.core.support.ValidationException.of(
            "state", "must be firing, resolved or pending, was '" + state + "'");
      }
    }
    Caller caller = access.caller();
    Instant now = clock.instant();
    List<Silence> silences = config.silences();
    return store.list(s, Math.max(1, Math.min(limit, 1000))).stream()
        .filter(a -> RuleOperations.readable(caller, a.team()))
        .map(a -> view(a, silences, now))
        .toList();
  }

  public AlertJson alert(long id) {
    Alert a =
        store
            .find(id)
            .filter(x -> RuleOperations.readable(access.caller(), x.team()))
            .orElseThrow(() -> new NotFoundException("alert", Long.toString(id)));
    return view(a, config.silences(), clock.instant());
  }

  private AlertJson view(Alert a, List<Silence> silences, Instant now) {
    boolean silenced = silences.stream().anyMatch(s -> s.mutes(a, now));
    List<AlertJson.DeliveryJson> deliveries =
        store.deliveriesOf(a.id()).stream()
            .map(
                d ->
                    new AlertJson.DeliveryJson(
                        d.id(),
                        d.receiver(),
                        kindOf(d.payload(), a.id()),
                        d.status(),
                        d.attempts(),
                        d.lastResult(),
                        d.createdAt(),
                        d.updatedAt()))
            .toList();
    return AlertJson.of(a, silenced, deliveries);
  }

  private String kindOf(String payload, long alertId) {
    try {
      for (JsonNode item : json.readTree(payload).path("alerts")) {
        if (item.path("id").asLong() == alertId) {
          return item.path("status").asText();
        }
      }
    } catch (java.io.IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  // ------------------------------------------------------------------ silences

  public List<SilenceJson> silences() {
    Caller caller = access.caller();
    Instant now = clock.instant();
    return config.silences().stream()
        .filter(s -> RuleOperations.readable(caller, s.team()))
        .map(s -> SilenceJson.of(s, now))
        .toList();
  }

  public SilenceJson createSilence(SilenceJson body) {
    return audit.change(
        "silence.create",
        "silence",
        body.matchers() == null ? "" : body.matchers().toString(),
        c -> {
          c.team(body.team());
          Caller caller = access.require(ALERT_MANAGE, body.team());
          if (body.team() != null) {
            teams.requireExists(body.team());
          }
          Instant now = clock.instant();
          Silence s = check(body, caller.name(), now);
          Silence stored = config.createSilence(s);
          c.after(SilenceJson.of(stored, now)).detail("silence " + stored.id());
          return SilenceJson.of(stored, now);
        });
  }

  /** Ends a silence now; its alerts' owed messages go out at the next evaluation. */
  public void expireSilence(long id) {
    Silence s =
        config
            .silence(id)
            .filter(x -> RuleOperations.readable(access.caller(), x.team()))
            .orElseThrow(() -> new NotFoundException("silence", Long.toString(id)));
    audit.change(
        "silence.expire",
        "silence",
        Long.toString(id),
        c -> {
          c.team(s.team());
          access.require(ALERT_MANAGE, s.team());
          c.before(SilenceJson.of(s, clock.instant()));
          config.expireSilence(id, clock.instant());
          return null;
        });
  }

  private static Silence check(SilenceJson b, String actor, Instant now) {
    Errors errors = new Errors();
    if (b.matchers() == null || b.matchers().isEmpty()) {
      errors.add(
          "matchers",
          "is required: labels an alert must have, e.g. {\"alertname\": \"node-pids-high\"}");
    }
    Instant starts = b.startsAt() == null ? now : b.startsAt();
    Instant ends = b.endsAt();
    if (b.duration() != null) {
      try {
        Duration d = Durations.parse(b.duration());
        if (d.isNegative() || d.isZero()) {
          errors.add("duration", "must be positive, was " + b.duration());
        } else {
          ends = starts.plus(d);
        }
      } catch (IllegalArgumentException e) {
        errors.add("duration", e.getMessage());
      }
    }
    if (ends == null && b.duration() == null) {
      errors.add("endsAt", "is required (or give duration, e.g. 2h): a silence always expires");
    } else if (ends != null && !ends.isAfter(now)) {
      errors.add("endsAt", "must be in the future, was " + ends);
    } else if (ends != null && Duration.between(starts, ends).compareTo(MAX_SILENCE) > 0) {
      errors.add("endsAt", "a silence may last at most 90 days");
    }
    if (b.comment() != null && b.comment().length() > 1000) {
      errors.add("comment", "must be at most 1000 characters");
    }
    errors.throwIfAny();
    return new Silence(0, b.matchers(), b.team(), b.comment(), actor, starts, ends);
  }
}
