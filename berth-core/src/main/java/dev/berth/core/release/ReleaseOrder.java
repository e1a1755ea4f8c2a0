package dev.berth.core.release;

import dev.berth.core.runtime.Instance;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The order in which a release takes instances. Pure. */
public final class ReleaseOrder {
  private ReleaseOrder() {}

  /**
   * The ordinals {@code first} names, in its order: an entry is an instance id, an instance's IP or
   * a node name (then every instance on that node, lowest ordinal first). Entries that match
   * nothing are left out ({@link #unmatched}).
   */
  public static List<Integer> resolve(List<String> first, List<Instance> observed) {
    Set<Integer> out = new LinkedHashSet<>();
    List<Instance> sorted =
        observed.stream().sorted(java.util.Comparator.comparingInt(Instance::ordinal)).toList();
    for (String entry : first) {
      for (Instance i : sorted) {
        if (entry.equals(i.id()) || entry.equals(i.ip()) || entry.equals(i.node())) {
          out.add(i.ordinal());
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** The entries of {@code first} that name no instance, IP or node of {@code observed}. */
  public static List<String> unmatched(List<String> first, List<Instance> observed) {
    return first.stream()
        .filter(
            e ->
                observed.stream()
                    .noneMatch(i -> e.equals(i.id()) || e.equals(i.ip()) || e.equals(i.node())))
        .toList();
  }

  /**
   * Every ordinal of {@code ordinals} in the order a release takes them: {@code first} (those that
   * still exist) in its order, then the rest from the highest ordinal down, as a StatefulSet's
   * partition moves.
   */
  public static List<Integer> of(List<Integer> ordinals, List<Integer> first) {
    List<Integer> out = new ArrayList<>();
    for (int o : first) {
      if (ordinals.contains(o) && !out.contains(o)) {
        out.add(o);
      }
    }
    for (int o : ordinals.reversed()) {
      if (!out.contains(o)) {
        out.add(o);
      }
    }
    return out;
  }
}
