package dev.berth.server.cluster;

import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.server.access.Access;
import dev.berth.server.access.Permission;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Clusters and their nodes, as {@code GET /api/v1/clusters} and {@code /api/v1/nodes} show them.
 */
@Controller
public class ClusterPages {
  private final ClusterRegistry clusters;
  private final Access access;
  private final NodeViews nodeViews;

  public ClusterPages(ClusterRegistry clusters, Access access, NodeViews nodeViews) {
    this.clusters = clusters;
    this.access = access;
    this.nodeViews = nodeViews;
  }

  @GetMapping("/clusters")
  public String clusters(Model model) {
    model.addAttribute("clusters", clusters.clusters());
    model.addAttribute("canRegister", access.caller().can(Permission.CLUSTER_CREATE, null));
    model.addAttribute("canInspect", access.caller().can(Permission.INSPECTION_READ, null));
    return "clusters/list";
  }

  @GetMapping("/nodes")
  public String nodes(@RequestParam(defaultValue = "") String cluster, Model model) {
    List<NodeJson> nodes =
        cluster.isBlank() || clusters.runtime(cluster).isPresent()
            ? nodeViews.nodes(cluster)
            : List.of();
    model.addAttribute("cluster", cluster);
    model.addAttribute("clusters", clusters.clusters());
    model.addAttribute("nodes", nodes);
    model.addAttribute("canManageNodes", access.caller().can(Permission.NODE_MANAGE, null));
    return "clusters/nodes";
  }
}
