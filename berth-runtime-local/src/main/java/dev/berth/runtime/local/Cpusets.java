package dev.berth.runtime.local;

import dev.berth.runtime.local.cgroup.Cgroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Dedicated CPUs for instances with the cpuset policy: {@code ceil(cpu)} CPUs each (at least 1, at
 * most all), taken from the least-used host CPUs (ties to the lowest id). On a small host several
 * cpuset instances may share a CPU and shares-policy instances are not kept off them: "dedicated"
 * is a best effort that pins, not an exclusive reservation. Thread-safe.
 */
final class Cpusets {
  private final List<Integer> host;
  private final Map<String, List<Integer>> byId = new HashMap<>();

  Cpusets(List<Integer> host) {
    this.host = List.copyOf(host);
  }

  static Cpusets forHost() {
    List<Integer> cpus = Cgroups.host().hostCpus().map(Cpusets::parse).orElse(List.of());
    if (cpus.isEmpty()) {
      cpus = new ArrayList<>();
      for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
        cpus.add(i);
      }
    }
    return new Cpusets(cpus);
  }

  /** Parses a Linux CPU list such as {@code 0-3,6}. */
  static List<Integer> parse(String list) {
    List<Integer> out = new ArrayList<>();
    for (String part : list.trim().split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] r = part.trim().split("-");
      int from = Integer.parseInt(r[0]);
      int to = r.length > 1 ? Integer.parseInt(r[1]) : from;
      for (int c = from; c <= to; c++) {
        out.add(c);
      }
    }
    return out;
  }

  synchronized String allocate(String id, double cpu) {
    List<Integer> mine = byId.get(id);
    int want = (int) Math.max(1, Math.min(host.size(), Math.ceil(cpu)));
    if (mine == null || mine.size() != want) {
      byId.remove(id);
      Map<Integer, Integer> load = new HashMap<>();
      byId.values().forEach(l -> l.forEach(c -> load.merge(c, 1, Integer::sum)));
      mine =
          host.stream()
              .sorted(
                  (a, b) ->
                      load.getOrDefault(a, 0).equals(load.getOrDefault(b, 0))
                          ? Integer.compare(a, b)
                          : Integer.compare(load.getOrDefault(a, 0), load.getOrDefault(b, 0)))
              .limit(want)
              .sorted()
              .toList();
      byId.put(id, mine);
    }
    return mine.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  synchronized void restore(String id, String cpus) {
    if (cpus != null && !cpus.isBlank()) {
      byId.put(id, parse(cpus));
    }
  }

  synchronized void release(String id) {
    byId.remove(id);
  }
}
