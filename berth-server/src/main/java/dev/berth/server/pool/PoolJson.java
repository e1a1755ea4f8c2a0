package dev.berth.server.pool;

import dev.berth.core.node.NodeInfo;
import dev.berth.core.node.NodeInfo.Capacity;
import dev.berth.server.cluster.NodeJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A pool as {@code GET …/pools} shows it: its definition and, summed over the nodes its selector
 * matches, {@code capacity}, {@code allocatable}, {@code requested} (the instances' guarantees) and
 * {@code used} (measured; absent with {@code usedUnavailable} saying why when any node's reading is
 * missing).
 */
public record PoolJson(
    String cluster,
    String name,
    Map<String, String> selector,
    NodeInfo.Taint taint,
    List<String> nodes,
    Capacity capacity,
    Capacity allocatable,
    Capacity requested,
    NodeJson.Used used,
    String usedUnavailable,
    String updatedBy,
    Instant updatedAt) {

  /** The pool {@code p} over those of {@code all} (the cluster's nodes) that it matches. */
  static PoolJson of(Pool p, List<NodeJson> all) {
    List<NodeJson> members = all.stream().filter(n -> p.matches(n.node().labels())).toList();
    double usedCpu = 0;
    long usedMem = 0;
    String unavailable = members.isEmpty() ? "no node matches the selector" : null;
    for (NodeJson n : members) {
      if (n.used() == null || n.used().cpu() == null || n.used().memoryMiB() == null) {
        unavailable = n.node().name() + ": " + n.usedUnavailable();
      } else {
        usedCpu += n.used().cpu();
        usedMem += n.used().memoryMiB();
      }
    }
    return new PoolJson(
        p.cluster(),
        p.name(),
        p.selector(),
        p.taint(),
        members.stream().map(n -> n.node().name()).toList(),
        sum(members.stream().map(n -> n.node().capacity()).toList()),
        sum(members.stream().map(n -> n.node().allocatable()).toList()),
        sum(members.stream().map(NodeJson::requested).toList()),
        unavailable == null ? new NodeJson.Used(usedCpu, usedMem) : null,
        unavailable,
        p.updatedBy(),
        p.updatedAt());
  }

  static Capacity sum(List<Capacity> all) {
    double cpu = 0;
    long mem = 0;
    int pods = 0;
    for (Capacity c : all) {
      if (c != null) {
        cpu += c.cpu();
        mem += c.memoryMiB();
        pods += c.pods();
      }
    }
    return new Capacity(cpu, mem, pods);
  }
}
