package dev.berth.server.cluster;

import static dev.berth.server.access.Permission.CLUSTER_CREATE;
import static dev.berth.server.access.Permission.CLUSTER_DELETE;
import static dev.berth.server.access.Permission.CLUSTER_READ;

import dev.berth.core.app.AppStore;
import dev.berth.core.cluster.Cluster;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.support.NotFoundException;
import dev.berth.server.access.Access;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.team.RedLines;
import dev.berth.server.team.TeamService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Clusters and nodes as the caller may see and change them: every signed-in user reads them (to
 * choose where to deploy); only admins register, mark as production or delete a cluster, and
 * deleting needs its name typed back. Changes go to the audit log.
 */
@Service
public class ClusterOperations {
  private final Clusters clusters;
  private final AppStore apps;
  private final Access access;
  private final AuditLog audit;
  private final RedLines redLines;
  private final TeamService teams;

  public ClusterOperations(
      Clusters clusters,
      AppStore apps,
      Access access,
      AuditLog audit,
      RedLines redLines,
      TeamService teams) {
    this.clusters = clusters;
    this.apps = apps;
    this.access = access;
    this.audit = audit;
    this.redLines = redLines;
    this.teams = teams;
  }

  /** A cluster as the API shows it: its view and whether it is marked as production. */
  public record ClusterJson(
      String name,
      String type,
      String zone,
      String namespace,
      String status,
      String message,
      String version,
      boolean production) {
    static ClusterJson of(Clusters.View v, Set<String> production) {
      return new ClusterJson(
          v.name(),
          v.type(),
          v.zone(),
          v.namespace(),
          v.status(),
          v.message(),
          v.version(),
          production.contains(v.name()));
    }
  }

  public List<ClusterJson> list() {
    access.require(CLUSTER_READ, null);
    Set<String> production = teams.productionClusters();
    return clusters.views().stream().map(v -> ClusterJson.of(v, production)).toList();
  }

  public ClusterJson register(
      String name, String kubeconfig, boolean inCluster, String namespace, String zone) {
    return audit.change(
        "cluster.create",
        "cluster",
        name,
        c -> {
          access.require(CLUSTER_CREATE, null);
          Clusters.View v = clusters.register(name, kubeconfig, inCluster, namespace, zone);
          c.after(
              Map.of(
                  "namespace",
                  String.valueOf(v.namespace()),
                  "zone",
                  String.valueOf(v.zone()),
                  "inCluster",
                  inCluster));
          return ClusterJson.of(v, Set.of());
        });
  }

  /** Marks a cluster as production (scaling its apps to zero then needs a confirmation). */
  public ClusterJson setProduction(String name, boolean production) {
    Clusters.View v =
        clusters.views().stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("cluster", name));
    teams.markCluster(name, production);
    return ClusterJson.of(v, teams.productionClusters());
  }

  /** Forgets a cluster; {@code confirm} must be its name. */
  public void remove(String name, String confirm) {
    audit.change(
        "cluster.delete",
        "cluster",
        name,
        c -> {
          access.require(CLUSTER_DELETE, null);
          redLines.requireConfirmed("deleting cluster '" + name + "'", name, confirm);
          clusters.remove(name, apps);
          teams.forgetCluster(name);
          return null;
        });
  }

  public List<NodeInfo> nodes(String cluster) {
    access.require(CLUSTER_READ, null);
    if (cluster != null && !cluster.isBlank()) {
      return clusters
          .runtime(cluster)
          .orElseThrow(() -> new NotFoundException("cluster", cluster))
          .nodes();
    }
    List<NodeInfo> all = new ArrayList<>();
    for (Cluster c : clusters.clusters()) {
      clusters.runtime(c.name()).map(ClusterRuntime::nodes).ifPresent(all::addAll);
    }
    return all;
  }
}
