package dev.berth.server.cluster;

import dev.berth.core.app.AppStore;
import dev.berth.core.cluster.Cluster;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.support.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Clusters and their nodes. Credentials go in with POST and never come out. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "clusters", description = "Clusters and their machines")
public class ClusterApi {
  private final Clusters clusters;
  private final AppStore apps;

  public ClusterApi(Clusters clusters, AppStore apps) {
    this.clusters = clusters;
    this.apps = apps;
  }

  /** The body of a registration: a kubeconfig (YAML) or {@code inCluster: true}, a namespace and a zone. */
  public record RegisterJson(String name, String kubeconfig, Boolean inCluster, String namespace, String zone) {}

  @GetMapping("/clusters")
  @Operation(summary = "Clusters with their type, zone, namespace and health")
  public List<Clusters.View> clusters() {
    return clusters.views();
  }

  @PostMapping("/clusters")
  @Operation(summary = "Register a Kubernetes cluster by kubeconfig or in-cluster configuration; checked before it is stored")
  public ResponseEntity<Clusters.View> register(@RequestBody RegisterJson body) {
    Clusters.View v = clusters.register(body.name(), body.kubeconfig(), Boolean.TRUE.equals(body.inCluster()), body.namespace(), body.zone());
    return ResponseEntity.created(URI.create("/api/v1/clusters/" + v.name())).body(v);
  }

  @DeleteMapping("/clusters/{name}")
  @Operation(summary = "Forget a Kubernetes cluster (refused while apps use it)")
  public ResponseEntity<Void> delete(@PathVariable String name) {
    clusters.remove(name, apps);
    return ResponseEntity.noContent().build();
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
