package dev.berth.core.app;

/**
 * A port the application listens on inside its instances, named for health checks and discovery.
 */
public record PortSpec(String name, int port, String protocol) {
  public PortSpec {
    if (protocol == null || protocol.isBlank()) {
      protocol = "tcp";
    }
  }
}
