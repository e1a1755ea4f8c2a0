package dev.berth.server.cluster;

import dev.berth.server.cluster.ClusterOperations.ClusterJson;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Clusters and their nodes. Credentials go in with POST and never come out. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "clusters", description = "Clusters and their machines")
public class ClusterApi {
  private final ClusterOperations clusters;
  private final NodeViews nodes;

  public ClusterApi(ClusterOperations clusters, NodeViews nodes) {
    this.clusters = clusters;
    this.nodes = nodes;
  }

  /**
   * The body of a registration: a kubeconfig (YAML) or {@code inCluster: true}, a namespace and a
   * zone.
   */
  public record RegisterJson(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "k8s-east") String name,
      String kubeconfig,
      Boolean inCluster,
      String namespace,
      String zone) {}

  /** The body of a change: whether the cluster is production. */
  public record PatchJson(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Boolean production) {}

  @GetMapping("/clusters")
  @Operation(summary = "Clusters with their type, zone, namespace, health and production mark")
  public ListJson<ClusterJson> clusters() {
    return ListJson.of(clusters.list());
  }

  @PostMapping("/clusters")
  @Operation(
      summary =
          "Register a Kubernetes cluster by kubeconfig or in-cluster configuration; checked before it is stored (admins)")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<ClusterJson> register(@RequestBody RegisterJson body) {
    ClusterJson v =
        clusters.register(
            body.name(),
            body.kubeconfig(),
            Boolean.TRUE.equals(body.inCluster()),
            body.namespace(),
            body.zone());
    return ResponseEntity.created(URI.create("/api/v1/clusters/" + v.name())).body(v);
  }

  @PatchMapping("/clusters/{name}")
  @Operation(
      summary =
          "Mark a cluster as production or not (admins): its apps then go to zero instances only with a confirmation")
  public ClusterJson update(@PathVariable String name, @RequestBody PatchJson body) {
    if (body.production() == null) {
      throw dev.berth.core.support.ValidationException.of(
          "production", "is required: true or false");
    }
    return clusters.setProduction(name, body.production());
  }

  @DeleteMapping("/clusters/{name}")
  @Operation(
      summary =
          "Forget a Kubernetes cluster (admins; refused while apps use it). Needs confirm=<cluster name>")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public ResponseEntity<Void> delete(
      @PathVariable String name, @RequestParam(required = false) String confirm) {
    clusters.remove(name, confirm);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/nodes")
  @Operation(
      summary =
          "Machines of one cluster, or of all, with requested (sum of guarantees), used (measured) and allocatable side by side")
  public ListJson<NodeJson> nodes(@RequestParam(required = false) String cluster) {
    return ListJson.of(nodes.nodes(cluster));
  }
}
