package dev.berth.server.alert;

import static dev.berth.server.access.Permission.ALERT_MANAGE;
import static dev.berth.server.access.Permission.ALERT_READ;

import dev.berth.core.alert.Receiver;
import dev.berth.core.alert.ReceiverValidator;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.support.crypto.SecretBox;
import dev.berth.server.team.TeamService;
import dev.berth.server.user.Tokens;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Receivers for the API and the portal. A team's receivers are read with {@code alert.read} and
 * managed with {@code alert.manage} in that team; platform receivers (no team, they get every
 * alert) are admins' only, since their addresses may carry tokens. A webhook's secret is sealed
 * with the {@link SecretBox} and shown only in the answer that created it.
 */
@Service
public class ReceiverOperations {
  private final JdbcAlertConfigStore store;
  private final ReceiverValidator validator;
  private final Access access;
  private final AuditLog audit;
  private final TeamService teams;
  private final SecretBox secrets;
  private final Clock clock;

  ReceiverOperations(
      JdbcAlertConfigStore store,
      ReceiverValidator validator,
      Access access,
      AuditLog audit,
      TeamService teams,
      SecretBox secrets,
      Clock clock) {
    this.store = store;
    this.validator = validator;
    this.access = access;
    this.audit = audit;
    this.teams = teams;
    this.secrets = secrets;
    this.clock = clock;
  }

  public List<ReceiverJson> list() {
    Caller caller = access.caller();
    return store.receivers().stream()
        .filter(r -> readable(caller, r.team()))
        .map(r -> ReceiverJson.of(r, null))
        .toList();
  }

  public ReceiverJson get(String name) {
    return ReceiverJson.of(find(name), null);
  }

  /** Creates a receiver; the answer carries a webhook's secret, this once. */
  public ReceiverJson create(ReceiverJson body) {
    return audit.change(
        "receiver.create",
        "receiver",
        body.name(),
        c -> {
          c.team(body.team());
          Caller caller = access.require(ALERT_MANAGE, body.team());
          if (body.team() != null) {
            teams.requireExists(body.team());
          }
          Receiver checked =
              validator.validate(
                  body.name(),
                  body.team(),
                  body.type(),
                  body.url(),
                  body.format(),
                  body.to(),
                  body.repeat());
          String secret = null;
          if (checked.type() != Receiver.Type.EMAIL) {
            if (body.secret() != null
                && (body.secret().length() < 16 || body.secret().length() > 256)) {
              throw ValidationException.of(
                  "secret", "must be between 16 and 256 characters (or left out to have one made)");
            }
            secret = body.secret() != null ? body.secret() : Tokens.randomUrlSafe(32);
          }
          Receiver sealed =
              new Receiver(
                  checked.name(),
                  checked.team(),
                  checked.type(),
                  checked.url(),
                  checked.format(),
                  checked.to(),
                  secret == null ? null : secrets.seal(secret, purpose(checked.name())),
                  checked.repeat());
          store.createReceiver(sealed, caller.name(), clock.instant());
          c.after(ReceiverJson.of(sealed, null));
          return ReceiverJson.of(sealed, body.secret() == null ? secret : null);
        });
  }

  public void delete(String name) {
    Receiver current = find(name);
    audit.change(
        "receiver.delete",
        "receiver",
        name,
        c -> {
          c.team(current.team());
          access.require(ALERT_MANAGE, current.team());
          c.before(ReceiverJson.of(current, null));
          store.deleteReceiver(name);
          return null;
        });
  }

  /** The plain secret of a receiver as stored. */
  String openSecret(Receiver r) {
    return secrets.open(r.secret(), purpose(r.name()));
  }

  private static String purpose(String receiver) {
    return "secret of alert receiver " + receiver;
  }

  private Receiver find(String name) {
    Receiver r = store.receiver(name).orElseThrow(() -> new NotFoundException("receiver", name));
    if (!readable(access.caller(), r.team())) {
      throw new NotFoundException("receiver", name);
    }
    return r;
  }

  private static boolean readable(Caller caller, String team) {
    return team == null ? caller.admin() : caller.can(ALERT_READ, team);
  }
}
