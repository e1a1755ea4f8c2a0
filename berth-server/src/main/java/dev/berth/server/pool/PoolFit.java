package dev.berth.server.pool;

import dev.berth.core.app.Resources;
import dev.berth.core.node.NodeInfo.Capacity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many more instances of an app fit into a pool: on each schedulable node, what is left of
 * allocatable after the requests (CPU and memory guarantees, one slot per instance) divided by what
 * one instance requests, per resource; a node holds the smallest of those, the pool the sum over
 * its nodes. A resource the app does not request (a best-effort app's CPU) does not bind.
 *
 * @param fits how many more instances fit in the pool
 * @param binding the resource that runs out first in the pool ({@code cpu}, {@code memory} or
 *     {@code pods}), null when the pool has no schedulable node
 * @param perResource per resource, how many would fit if only it counted (null: not requested)
 * @param nodes per node, how many fit there and which resource binds ({@code unschedulable} for a
 *     cordoned or unready node, which takes none)
 */
public record PoolFit(
    String app,
    String pool,
    int fits,
    String binding,
    Map<String, Integer> perResource,
    List<NodeFit> nodes) {

  /** One node's share: how many fit and what binds there. */
  public record NodeFit(String node, int fits, String binding) {}

  /** A node as the fit sees it: whether it takes new instances, what it offers and holds. */
  record Room(String node, boolean schedulable, Capacity allocatable, Capacity requested) {}

  /** The fit of instances requesting {@code r} into {@code rooms}. */
  static PoolFit of(String app, String pool, Resources r, List<Room> rooms) {
    Map<String, Integer> totals = new LinkedHashMap<>();
    totals.put("cpu", r.cpu() > 0 ? 0 : null);
    totals.put("memory", 0);
    totals.put("pods", 0);
    List<NodeFit> nodes = new ArrayList<>();
    int fits = 0;
    boolean anyRoom = false;
    for (Room room : rooms) {
      if (!room.schedulable() || room.allocatable() == null) {
        nodes.add(new NodeFit(room.node(), 0, "unschedulable"));
        continue;
      }
      anyRoom = true;
      Map<String, Integer> each = perResource(r, room);
      String binding = null;
      int min = Integer.MAX_VALUE;
      for (Map.Entry<String, Integer> e : each.entrySet()) {
        if (e.getValue() != null) {
          totals.merge(e.getKey(), e.getValue(), Integer::sum);
          if (e.getValue() < min) {
            min = e.getValue();
            binding = e.getKey();
          }
        }
      }
      nodes.add(new NodeFit(room.node(), min, binding));
      fits += min;
    }
    String binding = null;
    int least = Integer.MAX_VALUE;
    for (Map.Entry<String, Integer> e : totals.entrySet()) {
      if (e.getValue() != null && e.getValue() < least && anyRoom) {
        least = e.getValue();
        binding = e.getKey();
      }
    }
    return new PoolFit(app, pool, fits, binding, totals, nodes);
  }

  private static Map<String, Integer> perResource(Resources r, Room room) {
    Map<String, Integer> m = new LinkedHashMap<>();
    Capacity used = room.requested() == null ? new Capacity(0, 0, 0) : room.requested();
    Capacity a = room.allocatable();
    m.put("cpu", r.cpu() > 0 ? count(a.cpu() - used.cpu(), r.cpu()) : null);
    m.put("memory", count(a.memoryMiB() - used.memoryMiB(), r.memoryMiB()));
    m.put("pods", Math.max(0, a.pods() - used.pods()));
    return m;
  }

  /** Whole instances of {@code need} in {@code free}, with a little slack for rounding. */
  private static int count(double free, double need) {
    return free <= 0 ? 0 : (int) Math.floor(free / need + 1e-9);
  }
}
