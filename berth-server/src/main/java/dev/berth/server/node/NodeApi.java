package dev.berth.server.node;

import dev.berth.core.node.Drain;
import dev.berth.core.node.NodeInfo;
import dev.berth.server.web.MergePatch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Node actions: cordon, uncordon, drain with its live progress, cancel, labels. */
@RestController
@RequestMapping("/api/v1/clusters/{cluster}/nodes/{node}")
@Tag(name = "nodes", description = "Node actions: cordon, uncordon, drain, labels (admins)")
public class NodeApi {
  private final NodeOperations nodes;

  public NodeApi(NodeOperations nodes) {
    this.nodes = nodes;
  }

  /** A label change: a string sets a label, null removes it, labels not named stay. */
  public record LabelPatch(Map<String, String> labels) {}

  @PostMapping("/cordon")
  @Operation(
      summary =
          "Cordon the node (admins): no new instances or runs are placed on it (locally they wait"
              + " pending with the reason); those there keep running")
  public NodeInfo cordon(@PathVariable String cluster, @PathVariable String node) {
    return nodes.schedulable(cluster, node, false);
  }

  @PostMapping("/uncordon")
  @Operation(summary = "Uncordon the node (admins): it takes new instances and runs again")
  public NodeInfo uncordon(@PathVariable String cluster, @PathVariable String node) {
    return nodes.schedulable(cluster, node, true);
  }

  @PostMapping("/drain")
  @Operation(
      summary =
          "Drain the node (admins): cordon it, then move every instance off, each app's"
              + " maxUnavailable respected, with a surge instance first where asked and another"
              + " node can take it; stops at the deadline (e.g. \"10m\") instead of hanging")
  public Drain drain(
      @PathVariable String cluster,
      @PathVariable String node,
      @RequestBody NodeOperations.DrainRequest body) {
    return nodes.drain(cluster, node, body);
  }

  @GetMapping("/drain")
  @Operation(
      summary =
          "The node's latest drain: state, deadline, and per instance its phase and why it waits"
              + " (204 when the node was never drained)")
  @ApiResponse(responseCode = "200", description = "The node's latest drain")
  @ApiResponse(responseCode = "204", description = "The node was never drained")
  public ResponseEntity<Drain> progress(@PathVariable String cluster, @PathVariable String node) {
    return nodes
        .progress(cluster, node)
        .map(ResponseEntity::ok)
        .orElseGet(() -> ResponseEntity.noContent().build());
  }

  @DeleteMapping("/drain")
  @Operation(
      summary =
          "Cancel the node's running drain (admins): instances taken offline take traffic again,"
              + " surge instances go; the node stays cordoned (409 when no drain runs)")
  public Drain cancel(@PathVariable String cluster, @PathVariable String node) {
    return nodes.cancel(cluster, node);
  }

  @PatchMapping(consumes = {MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE})
  @Operation(
      summary =
          "Change the node's labels (admins, JSON Merge Patch): {\"labels\": {\"disk\": \"ssd\","
              + " \"old\": null}} sets disk and removes old")
  public NodeInfo label(
      @PathVariable String cluster, @PathVariable String node, @RequestBody LabelPatch body) {
    return nodes.label(cluster, node, body == null ? null : body.labels());
  }
}
