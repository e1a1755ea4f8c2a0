package dev.berth.server.inspection;

import dev.berth.core.app.AppStatus;
import dev.berth.core.node.NodeInfo;
import dev.berth.server.charts.NodeReading;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one inspection of a cluster looked at, gathered first so that every check is a pure
 * function of it. A part that could not be gathered says why in its own field.
 *
 * @param runtimeError why the cluster's runtime did not answer, or null
 * @param readings each node's last measurements; empty with {@code metricsError} when unreadable
 * @param local whether the cluster's nodes are this server's host (one clock, no skew)
 */
public record Facts(
    String cluster,
    Instant now,
    String runtimeError,
    List<NodeInfo> nodes,
    Map<String, NodeReading> readings,
    String metricsError,
    boolean local,
    List<RegistryFact> registries,
    List<CertificateFact> certificates,
    List<AppFact> apps) {

  public Facts {
    nodes = List.copyOf(nodes);
    readings = Map.copyOf(readings);
    registries = List.copyOf(registries);
    certificates = List.copyOf(certificates);
    apps = List.copyOf(apps);
  }

  /** A registry configured in Berth and whether it answered {@code GET /v2/}. */
  public record RegistryFact(String name, String url, boolean reachable, String message) {}

  /**
   * A certificate Berth relies on: a registry's TLS certificate, a cluster's client certificate.
   */
  public record CertificateFact(String item, String subject, Instant notAfter) {}

  /** An app of the cluster with its status and the most restarts of one instance. */
  public record AppFact(String name, String team, AppStatus status, int maxRestarts) {}
}
