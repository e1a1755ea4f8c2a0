package dev.berth.server.traffic;

import dev.berth.core.traffic.EndpointState;
import dev.berth.core.traffic.InstanceTraffic;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Berth's traffic switch on the stored marks ({@link JdbcTrafficStore}): by hand ({@link #offline},
 * {@link #online}) and for whoever stops instances on purpose ({@link InstanceTraffic}: a release
 * drains, waits for {@link #drained}, stops, restores). Every change is followed by discovery
 * (watchers, DNS, the gateway) and pushed to runtimes that route traffic themselves.
 *
 * <p>A hand-made offline outlasts releases: draining an offline instance keeps it offline, and
 * {@link #restore} ends only drains, so a replaced instance that was offline comes back offline
 * until someone puts it online. {@link #drained} is true once the drain timeout ({@code
 * berth.traffic.drain-timeout}) passed since the instance left traffic, on the injected time.
 */
public class TrafficSwitch implements InstanceTraffic {
  /** Who drains and restores when no person does. */
  public static final String SYSTEM = "system";

  private final JdbcTrafficStore store;
  private final Discovery discovery;
  private final InstantSource time;
  private final Duration drainTimeout;

  public TrafficSwitch(
      JdbcTrafficStore store, Discovery discovery, InstantSource time, Duration drainTimeout) {
    this.store = store;
    this.discovery = discovery;
    this.time = time;
    this.drainTimeout = drainTimeout;
  }

  /**
   * Takes the instance out of traffic by hand (a drain becomes offline); whether that changed its
   * state. Idempotent.
   */
  public boolean offline(String app, String instance, String actor) {
    Optional<TrafficMark> mark = store.find(app, instance);
    if (mark.filter(m -> m.state() == EndpointState.OFFLINE).isPresent()) {
      return false;
    }
    store.put(new TrafficMark(app, instance, EndpointState.OFFLINE, time.instant(), actor));
    followed(app);
    return true;
  }

  /** Puts the instance back (it serves once ready); whether it was out before. Idempotent. */
  public boolean online(String app, String instance) {
    boolean was = store.remove(app, instance);
    if (was) {
      followed(app);
    }
    return was;
  }

  /**
   * Sets the instance's weight (0 to {@link EndpointView#WEIGHT}); whether that changed it.
   * Idempotent. The weight stays through restarts and releases, as an offline mark does.
   */
  public boolean weight(String app, String instance, int weight, String actor) {
    if (weight(app, instance) == weight) {
      return false;
    }
    store.putWeight(app, instance, weight, time.instant(), actor);
    discovery.changed(app);
    return true;
  }

  /** The instance's weight: the one set by hand, or {@link EndpointView#WEIGHT}. */
  public int weight(String app, String instance) {
    return store.weights(app).getOrDefault(instance, EndpointView.WEIGHT);
  }

  /** The instance's mark, if it is out of traffic. */
  public Optional<TrafficMark> mark(String app, String instance) {
    return store.find(app, instance);
  }

  @Override
  public void drain(String app, String instance) {
    if (store.find(app, instance).isPresent()) {
      return;
    }
    store.put(new TrafficMark(app, instance, EndpointState.DRAINING, time.instant(), SYSTEM));
    followed(app);
  }

  @Override
  public boolean drained(String app, String instance) {
    return store
        .find(app, instance)
        .map(m -> !time.instant().isBefore(m.since().plus(drainTimeout)))
        .orElse(true);
  }

  @Override
  public void restore(String app, String instance) {
    Optional<TrafficMark> mark = store.find(app, instance);
    if (mark.filter(m -> m.state() == EndpointState.DRAINING).isPresent()
        && store.remove(app, instance)) {
      followed(app);
    }
  }

  private void followed(String app) {
    discovery.changed(app);
    discovery.align(app);
  }
}
