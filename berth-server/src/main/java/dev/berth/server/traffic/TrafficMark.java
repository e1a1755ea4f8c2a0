package dev.berth.server.traffic;

import dev.berth.core.traffic.EndpointState;
import java.time.Instant;

/**
 * An instance taken out of traffic, as stored: {@link EndpointState#OFFLINE} by hand or {@link
 * EndpointState#DRAINING} before a stop, since when and by whom. An instance without a mark is
 * online.
 */
public record TrafficMark(
    String app, String instance, EndpointState state, Instant since, String actor) {
  public TrafficMark {
    if (state != EndpointState.OFFLINE && state != EndpointState.DRAINING) {
      throw new IllegalArgumentException("a traffic mark is offline or draining, was " + state);
    }
  }
}
