package dev.berth.server.gateway;

import static dev.berth.server.access.Permission.APP_READ;
import static dev.berth.server.access.Permission.APP_UPDATE_SPEC;

import dev.berth.core.app.App;
import dev.berth.core.app.AppService;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.audit.AuditLog;
import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Mirroring as a person asks for it: set, read and remove an app's mirror. Setting one needs {@code
 * app.update-spec} on the app and read access to the target; it is audited, announced as an app
 * event and reaches nginx with the next config (one reload).
 */
public class MirrorOperations {
  static final long DEFAULT_MAX_BODY = 64 * 1024;
  static final long MAX_BODY_LIMIT = 64L * 1024 * 1024;

  /** What a client sends to set a mirror; left-out fields take their defaults. */
  public record MirrorRequest(
      String target, String port, Integer percent, Long maxBodyBytes, Integer maxP99RisePercent) {}

  private final AppService apps;
  private final Access access;
  private final AuditLog audit;
  private final EventSink events;
  private final JdbcMirrorStore mirrors;
  private final ObjectProvider<Gateway> gateway;
  private final Clock time;

  MirrorOperations(
      AppService apps,
      Access access,
      AuditLog audit,
      EventSink events,
      JdbcMirrorStore mirrors,
      ObjectProvider<Gateway> gateway,
      Clock time) {
    this.apps = apps;
    this.access = access;
    this.audit = audit;
    this.events = events;
    this.mirrors = mirrors;
    this.gateway = gateway;
    this.time = time;
  }

  public Optional<Mirror> get(String app) {
    App a = apps.get(app);
    access.requireOn(APP_READ, APP_READ, "app", app, a.team());
    gateway();
    return mirrors.find(app);
  }

  /** The running gateway; a conflict when it is off, after the caller's rights were checked. */
  private Gateway gateway() {
    Gateway g = gateway.getIfAvailable();
    if (g == null) {
      throw new ConflictException(
          "the gateway is off, so nothing can be mirrored; start Berth with"
              + " BERTH_GATEWAY_ENABLED=true");
    }
    return g;
  }

  public Mirror put(String app, MirrorRequest request) {
    App a = apps.get(app);
    return audit.change(
        "app.mirror",
        "app",
        app,
        c -> {
          c.team(a.team());
          Caller caller = access.requireOn(APP_READ, APP_UPDATE_SPEC, "app", app, a.team());
          Gateway g = gateway();
          c.before(mirrors.find(app).orElse(null));
          Mirror m = validate(a, request, caller.name(), g);
          mirrors.put(m);
          c.after(m);
          String message =
              m.percent()
                  + " % of requests copied to "
                  + m.target()
                  + " (bodies up to "
                  + m.maxBodyBytes()
                  + " bytes; stops when p99 rises by more than "
                  + m.maxP99RisePercent()
                  + " %), by "
                  + caller.name();
          c.detail(message);
          events.emit(
              Event.normal(time.instant(), a.cluster(), "app", app, app, "MirrorStarted", message));
          g.requestSync();
          return m;
        });
  }

  public void delete(String app) {
    App a = apps.get(app);
    audit.change(
        "app.mirror-delete",
        "app",
        app,
        c -> {
          c.team(a.team());
          Caller caller = access.requireOn(APP_READ, APP_UPDATE_SPEC, "app", app, a.team());
          Gateway g = gateway();
          Mirror m = mirrors.find(app).orElseThrow(() -> new NotFoundException("mirror", app));
          c.before(m);
          mirrors.remove(app);
          events.emit(
              Event.normal(
                  time.instant(),
                  a.cluster(),
                  "app",
                  app,
                  app,
                  "MirrorRemoved",
                  "mirroring to " + m.target() + " removed by " + caller.name()));
          g.requestSync();
          return null;
        });
  }

  private Mirror validate(App a, MirrorRequest r, String actor, Gateway g) {
    Errors errors = new Errors();
    if (r == null || r.target() == null || r.target().isBlank()) {
      errors.add("target", "is required: the app the copies go to");
      errors.throwIfAny();
    }
    if (a.spec().routes().isEmpty()) {
      throw new ConflictException(
          "app '"
              + a.name()
              + "' has no routes, so the gateway sees none of its requests; add a route first");
    }
    if (r.target().equals(a.name())) {
      errors.add("target", "must be another app than '" + a.name() + "'");
    }
    Optional<App> target = r.target().equals(a.name()) ? Optional.empty() : find(r.target());
    if (target.isEmpty() && !r.target().equals(a.name())) {
      errors.add("target", "no app named '" + r.target() + "' that you may read");
    }
    String port =
        r.port() == null || r.port().isBlank() ? a.spec().routes().get(0).port() : r.port();
    target.ifPresent(
        t ->
            errors.check(
                t.spec().ports().stream().anyMatch(p -> port.equals(p.name())),
                "port",
                "app '" + t.name() + "' has no port named '" + port + "'; name one of its ports"));
    int percent = r.percent() == null ? 10 : r.percent();
    errors.check(percent >= 1 && percent <= 100, "percent", "must be 1 to 100, was " + percent);
    long maxBody = r.maxBodyBytes() == null ? DEFAULT_MAX_BODY : r.maxBodyBytes();
    errors.check(
        maxBody >= 0 && maxBody <= MAX_BODY_LIMIT,
        "maxBodyBytes",
        "must be 0 to " + MAX_BODY_LIMIT + ", was " + maxBody);
    int rise = r.maxP99RisePercent() == null ? 20 : r.maxP99RisePercent();
    errors.check(rise >= 1 && rise <= 1000, "maxP99RisePercent", "must be 1 to 1000, was " + rise);
    errors.throwIfAny();
    GatewayCounters.Latency before = g.counters().of(a.name());
    Double baseline = before.count() >= MirrorGuard.MIN_REQUESTS ? before.p99().orElse(null) : null;
    return new Mirror(
        a.name(),
        r.target(),
        port,
        percent,
        maxBody,
        rise,
        baseline,
        true,
        null,
        actor,
        time.instant());
  }

  private Optional<App> find(String name) {
    try {
      App t = apps.get(name);
      access.requireOn(APP_READ, APP_READ, "app", name, t.team());
      return Optional.of(t);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
