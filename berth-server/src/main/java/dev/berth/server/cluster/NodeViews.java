package dev.berth.server.cluster;

import dev.berth.core.node.NodeInfo;
import dev.berth.server.charts.NodeMetrics;
import dev.berth.server.charts.NodeReading;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Nodes with requested, used and allocatable side by side, for {@code GET /api/v1/nodes} and the
 * Nodes page. A cluster whose measurements cannot be read still lists its nodes, without "used".
 */
@Service
public class NodeViews {
  private final ClusterOperations clusters;
  private final NodeMetrics metrics;

  public NodeViews(ClusterOperations clusters, NodeMetrics metrics) {
    this.clusters = clusters;
    this.metrics = metrics;
  }

  /** The nodes of one cluster, or of all when {@code cluster} is blank (checks cluster.read). */
  public List<NodeJson> nodes(String cluster) {
    List<NodeInfo> nodes = clusters.nodes(cluster);
    Map<String, List<NodeInfo>> byCluster = new LinkedHashMap<>();
    nodes.forEach(n -> byCluster.computeIfAbsent(n.cluster(), c -> new ArrayList<>()).add(n));
    List<NodeJson> out = new ArrayList<>();
    byCluster.forEach(
        (c, list) -> {
          Map<String, NodeReading> readings = new HashMap<>();
          String unavailable = null;
          try {
            readings = metrics.readings(c);
          } catch (RuntimeException e) {
            unavailable = "unavailable: " + e.getMessage();
          }
          for (NodeInfo n : list) {
            out.add(NodeJson.of(n, readings.get(n.name()), unavailable));
          }
        });
    return out;
  }
}
