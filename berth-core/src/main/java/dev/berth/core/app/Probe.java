package dev.berth.core.app;

import java.util.List;

/**
 * One health check. {@code tcp} connects to {@code port}; {@code http} GETs {@code path} on {@code
 * port} and wants a 2xx or 3xx; {@code cmd} runs {@code command} inside the instance and wants exit
 * 0. The instance is unhealthy after {@code failureThreshold} failures in a row and healthy again
 * after {@code successThreshold} successes.
 */
public record Probe(
    ProbeType type,
    Integer port,
    String path,
    List<String> command,
    int initialDelaySeconds,
    int periodSeconds,
    int timeoutSeconds,
    int failureThreshold,
    int successThreshold) {
  public Probe {
    command = command == null ? List.of() : List.copyOf(command);
    if (type == ProbeType.HTTP && (path == null || path.isBlank())) {
      path = "/";
    }
    if (periodSeconds <= 0) {
      periodSeconds = 2;
    }
    if (timeoutSeconds <= 0) {
      timeoutSeconds = 1;
    }
    if (failureThreshold <= 0) {
      failureThreshold = 3;
    }
    if (successThreshold <= 0) {
      successThreshold = 1;
    }
    if (initialDelaySeconds < 0) {
      initialDelaySeconds = 0;
    }
  }
}
