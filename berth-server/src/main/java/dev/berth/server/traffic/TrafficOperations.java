package dev.berth.server.traffic;

import static dev.berth.server.access.Permission.APP_READ;
import static dev.berth.server.access.Permission.INSTANCE_TRAFFIC;

import dev.berth.core.app.App;
import dev.berth.core.app.AppService;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.traffic.Endpoint;
import dev.berth.core.traffic.EndpointState;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.audit.AuditLog;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Traffic operations a person asks for, from the REST API and the portal alike: reading an app's
 * endpoints (whoever may read the app) and taking an instance offline or online ({@code
 * instance.traffic}, operators and up), audited and announced as instance events.
 */
@Service
public class TrafficOperations {
  private final AppService apps;
  private final Access access;
  private final AuditLog audit;
  private final EventSink events;
  private final Discovery discovery;
  private final TrafficSwitch traffic;
  private final Clock time;

  public TrafficOperations(
      AppService apps,
      Access access,
      AuditLog audit,
      EventSink events,
      Discovery discovery,
      TrafficSwitch traffic,
      Clock time) {
    this.apps = apps;
    this.access = access;
    this.audit = audit;
    this.events = events;
    this.discovery = discovery;
    this.traffic = traffic;
    this.time = time;
  }

  /** What an offline or online request did: the instance's state now, and a sentence. */
  public record Outcome(String instance, EndpointState state, boolean changed, String message) {}

  /** The app, when the caller may read it; otherwise as if it did not exist. */
  public App readable(String app) {
    App a = apps.get(app);
    access.requireOn(APP_READ, APP_READ, "app", app, a.team());
    return a;
  }

  /** The app's serving endpoints, or with {@code all} every instance with its state. */
  public List<Endpoint> endpoints(String app, boolean all) {
    readable(app);
    return all ? discovery.of(app) : discovery.serving(app);
  }

  public Outcome offline(String app, String instance) {
    return change(app, instance, false);
  }

  public Outcome online(String app, String instance) {
    return change(app, instance, true);
  }

  /** What a weight request did: the instance's weight now, and a sentence. */
  public record WeightOutcome(String instance, int weight, boolean changed, String message) {}

  /**
   * Sets the instance's weight, with the same permission as offline and online; audited and
   * announced as a {@code WeightChanged} event when it changed.
   */
  public WeightOutcome weight(String app, String instance, int weight) {
    App a = readable(app);
    return audit.change(
        "instance.weight",
        "instance",
        instance,
        c -> {
          Caller caller = allowed(c, a, instance);
          int before = traffic.weight(app, instance);
          boolean changed = traffic.weight(app, instance, weight, caller.name());
          String message = weightMessage(instance, before, weight);
          announced(c, a, instance, changed ? "WeightChanged" : null, message, caller);
          return new WeightOutcome(instance, weight, changed, message);
        });
  }

  static String weightMessage(String instance, int before, int weight) {
    if (before == weight) {
      return instance + " already weighs " + weight;
    }
    String now = instance + " weighs " + weight + " (was " + before + ")";
    return weight == 0
        ? now + ": still listed as ready, but the gateway sends it no new requests"
        : now;
  }

  /** Whether the caller may switch the app's instances (for showing the portal's switches). */
  public boolean canSwitch(App app) {
    return access.caller().can(INSTANCE_TRAFFIC, app.team());
  }

  private Outcome change(String app, String instance, boolean online) {
    App a = readable(app);
    String action = online ? "instance.online" : "instance.offline";
    return audit.change(
        action,
        "instance",
        instance,
        c -> {
          Caller caller = allowed(c, a, instance);
          boolean changed =
              online
                  ? traffic.online(app, instance)
                  : traffic.offline(app, instance, caller.name());
          EndpointState state = state(app, instance);
          String message = message(instance, online, changed, state);
          String reason = online ? "Online" : "Offline";
          announced(c, a, instance, changed ? reason : null, message, caller);
          return new Outcome(instance, state, changed, message);
        });
  }

  /** The caller, when they may switch the app's instances and the instance exists. */
  private Caller allowed(AuditLog.Change c, App a, String instance) {
    c.team(a.team());
    Caller caller = access.requireOn(APP_READ, INSTANCE_TRAFFIC, "app", a.name(), a.team());
    requireInstance(a.name(), instance);
    return caller;
  }

  /** Records the message in the audit entry and, with a {@code reason}, as an instance event. */
  private void announced(
      AuditLog.Change c, App a, String instance, String reason, String message, Caller caller) {
    c.detail(message);
    if (reason != null) {
      events.emit(
          Event.normal(
              time.instant(),
              a.cluster(),
              "instance",
              instance,
              a.name(),
              reason,
              message + " (by " + caller.name() + ")"));
    }
  }

  private void requireInstance(String app, String instance) {
    boolean exists = apps.instances(app).stream().anyMatch(i -> i.id().equals(instance));
    if (!exists) {
      throw new NotFoundException("instance", instance);
    }
  }

  private EndpointState state(String app, String instance) {
    return discovery.of(app).stream()
        .filter(e -> e.instance().equals(instance))
        .map(Endpoint::state)
        .findFirst()
        .orElse(EndpointState.UNREADY);
  }

  static String message(String instance, boolean online, boolean changed, EndpointState state) {
    if (!online) {
      return changed
          ? instance + " taken offline: it keeps running but leaves discovery, DNS and the gateway"
          : instance + " was already offline";
    }
    if (!changed) {
      return instance + " was already online (" + lower(state) + ")";
    }
    return state == EndpointState.READY
        ? instance + " is online and takes traffic again"
        : instance + " is online; it takes traffic once ready (" + lower(state) + ")";
  }

  static String lower(EndpointState state) {
    return state.name().toLowerCase(java.util.Locale.ROOT);
  }
}
