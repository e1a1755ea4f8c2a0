package dev.berth.server.cluster;

import dev.berth.core.cluster.Cluster;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.support.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Clusters and their nodes. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "clusters", description = "Clusters and their machines")
public class ClusterApi {
  private final ClusterRegistry clusters;

  public ClusterApi(ClusterRegistry clusters) {
    this.clusters = clusters;
  }

  @GetMapping("/clusters")
  @Operation(summary = "Clusters with their health")
  public List<Cluster> clusters() {
    return clusters.clusters();
  }

  @PostMapping("/clusters")
  @ResponseStatus(HttpStatus.NOT_IMPLEMENTED)
  @Operation(summary = "Register a Kubernetes cluster by kubeconfig (not yet available)")
  public ProblemDetail register() {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_IMPLEMENTED, "registering Kubernetes clusters arrives with the Kubernetes runtime; this server runs the embedded 'local' cluster only");
    p.setTitle("Not implemented");
    return p;
  }

  @GetMapping("/nodes")
  @Operation(summary = "Machines of one cluster, or of all")
  public List<NodeInfo> nodes(@RequestParam(required = false) String cluster) {
    if (cluster != null && !cluster.isBlank()) {
      return clusters.runtime(cluster).orElseThrow(() -> new NotFoundException("cluster", cluster)).nodes();
    }
    List<NodeInfo> all = new ArrayList<>();
    for (Cluster c : clusters.clusters()) {
      clusters.runtime(c.name()).map(ClusterRuntime::nodes).ifPresent(all::addAll);
    }
    return all;
  }
}
