package dev.berth.server.traffic;

import dev.berth.core.app.App;
import dev.berth.core.app.PortSpec;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.traffic.Endpoint;
import dev.berth.core.traffic.EndpointState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides each instance's traffic state from what the runtime observes and what Berth stores. Pure.
 *
 * <p>A stored mark wins (an offline or draining instance stays out however ready it is); without
 * one, an instance serves when it runs, has an address and passes readiness. Its weight is the one
 * set by hand, or {@link #WEIGHT}.
 */
public final class EndpointView {
  /** What an instance weighs until someone sets its weight; also the highest weight. */
  public static final int WEIGHT = 100;

  private EndpointView() {}

  public static List<Endpoint> of(
      App app,
      List<Instance> instances,
      Map<String, TrafficMark> marks,
      Map<String, Integer> weights) {
    Map<String, Integer> ports = ports(app);
    return instances.stream()
        .map(
            i ->
                new Endpoint(
                    app.name(),
                    app.team(),
                    i.id(),
                    i.ordinal(),
                    i.ip(),
                    ports,
                    i.node(),
                    i.revision(),
                    weights.getOrDefault(i.id(), WEIGHT),
                    state(i, marks.get(i.id()))))
        .toList();
  }

  static EndpointState state(Instance instance, TrafficMark mark) {
    if (mark != null) {
      return mark.state();
    }
    boolean serving =
        instance.ready()
            && instance.state() == InstanceState.RUNNING
            && instance.ip() != null
            && !instance.ip().isBlank();
    return serving ? EndpointState.READY : EndpointState.UNREADY;
  }

  /** The app's ports by name; an unnamed port by its number. */
  static Map<String, Integer> ports(App app) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    List<PortSpec> specs = app.spec() == null ? null : app.spec().ports();
    if (specs != null) {
      for (PortSpec p : specs) {
        ports.put(
            p.name() == null || p.name().isBlank() ? Integer.toString(p.port()) : p.name(),
            p.port());
      }
    }
    return ports;
  }
}
