package dev.berth.server.pool;

import dev.berth.core.node.NodeInfo;
import dev.berth.core.support.ValidationException;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Machine pools of a cluster: named node sets by label selector, and how many more fit. */
@RestController
@RequestMapping("/api/v1/clusters/{cluster}/pools")
@Tag(name = "pools", description = "Machine pools: named node sets by label selector")
public class PoolApi {
  private final PoolOperations pools;

  public PoolApi(PoolOperations pools) {
    this.pools = pools;
  }

  /** The body of a definition: the name (POST only), the label selector and an optional taint. */
  public record PoolBody(
      @Schema(example = "ssd", description = "required in a POST; in a PUT the path names it")
          String name,
      @Schema(
              example = "{\"disk\": \"ssd\"}",
              description = "labels a node must all carry; empty or left out: every node")
          Map<String, String> selector,
      @Schema(description = "optional; effect NoSchedule, PreferNoSchedule or NoExecute")
          NodeInfo.Taint taint) {
    PoolOperations.Definition definition() {
      return new PoolOperations.Definition(selector, taint);
    }
  }

  @GetMapping
  @Operation(
      summary =
          "The cluster's pools with their nodes and capacity, allocatable, requested and used summed over them (404: unknown cluster)")
  public ListJson<PoolJson> list(@PathVariable String cluster) {
    return ListJson.of(pools.list(cluster));
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary =
          "Define a pool (node.manage, admins; 400: bad name, selector or taint; 403; 404: unknown cluster; 409: exists)")
  public ResponseEntity<PoolJson> create(@PathVariable String cluster, @RequestBody PoolBody body) {
    PoolJson p = pools.create(cluster, body.name(), body.definition());
    return ResponseEntity.created(URI.create("/api/v1/clusters/" + cluster + "/pools/" + p.name()))
        .body(p);
  }

  @GetMapping("/{pool}")
  @Operation(summary = "One pool with its sums (404: unknown cluster or pool)")
  public PoolJson get(@PathVariable String cluster, @PathVariable String pool) {
    return pools.get(cluster, pool);
  }

  @PutMapping("/{pool}")
  @Operation(
      summary =
          "Replace a pool's selector and taint (node.manage, admins; 400: bad selector or taint, or a different name in the body; 403; 404)")
  public PoolJson replace(
      @PathVariable String cluster, @PathVariable String pool, @RequestBody PoolBody body) {
    if (body.name() != null && !body.name().equals(pool)) {
      throw ValidationException.of(
          "name", "cannot be changed (is '" + pool + "'); define a new pool and delete this one");
    }
    return pools.replace(cluster, pool, body.definition());
  }

  @DeleteMapping("/{pool}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Remove a pool (node.manage, admins; 403; 404)")
  public ResponseEntity<Void> delete(@PathVariable String cluster, @PathVariable String pool) {
    pools.delete(cluster, pool);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{pool}/fit")
  @Operation(
      summary =
          "How many more instances of an app fit into the pool, per resource, with the binding one named (400: no app given; 404: unknown cluster, pool or app)")
  public PoolFit fit(
      @PathVariable String cluster,
      @PathVariable String pool,
      @RequestParam(required = false) String app) {
    return pools.fit(cluster, pool, app);
  }
}
