package dev.berth.server.traffic;

import dev.berth.core.traffic.Endpoint;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** An instance as discovery shows it. */
public record EndpointJson(
    String instance,
    int ordinal,
    String ip,
    @Schema(description = "the app's ports by name", example = "{\"http\": 8080}")
        Map<String, Integer> ports,
    String node,
    long revision,
    int weight,
    @Schema(allowableValues = {"ready", "offline", "draining", "unready"}) String state) {
  public static EndpointJson of(Endpoint e) {
    return new EndpointJson(
        e.instance(),
        e.ordinal(),
        e.ip(),
        e.ports(),
        e.node(),
        e.revision(),
        e.weight(),
        TrafficOperations.lower(e.state()));
  }
}
