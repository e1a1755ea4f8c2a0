package dev.berth.server.cluster;

import dev.berth.core.cluster.Cluster;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.ClusterRuntime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Clusters and their nodes, as {@code GET /api/v1/clusters} and {@code /api/v1/nodes} show them. */
@Controller
public class ClusterPages {
  private final ClusterRegistry clusters;

  public ClusterPages(ClusterRegistry clusters) {
    this.clusters = clusters;
  }

  @GetMapping("/clusters")
  public String clusters(Model model) {
    model.addAttribute("clusters", clusters.clusters());
    return "clusters/list";
  }

  @GetMapping("/nodes")
  public String nodes(@RequestParam(defaultValue = "") String cluster, Model model) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (Cluster c : clusters.clusters()) {
      if (cluster.isBlank() || c.name().equals(cluster)) {
        clusters.runtime(c.name()).map(ClusterRuntime::nodes).ifPresent(nodes::addAll);
      }
    }
    model.addAttribute("cluster", cluster);
    model.addAttribute("clusters", clusters.clusters());
    model.addAttribute("nodes", nodes);
    return "clusters/nodes";
  }
}
