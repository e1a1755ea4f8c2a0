package dev.berth.core.traffic;

import java.util.Map;

/**
 * One instance as traffic sees it: where it listens and whether it takes requests. {@code ports}
 * maps the app's port names to container ports.
 */
public record Endpoint(
    String app,
    String team,
    String instance,
    int ordinal,
    String ip,
    Map<String, Integer> ports,
    String node,
    long revision,
    int weight,
    EndpointState state) {
  public Endpoint {
    ports = ports == null ? Map.of() : Map.copyOf(ports);
  }

  /** Whether discovery, DNS and the gateway send this instance new requests. */
  public boolean serving() {
    return state == EndpointState.READY;
  }
}
