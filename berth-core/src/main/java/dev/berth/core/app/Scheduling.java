package dev.berth.core.app;

import java.util.List;
import java.util.Map;

/**
 * Where an app's instances may and should run ({@code scheduling} in the spec): a node {@code pool}
 * (node selector plus toleration of the pool's taint), {@code prefer}red node labels (preferred
 * node affinity), {@code spread} over hosts ({@code strict} = required pod anti-affinity on {@code
 * kubernetes.io/hostname}, {@code preferred} = preferred, {@code none}) and affinity rules to other
 * apps. Immutable.
 */
public record Scheduling(
    String pool,
    Map<String, String> nodeLabels,
    Map<String, String> prefer,
    Spread spread,
    List<AppAffinity> affinity) {
  public static final Scheduling NONE =
      new Scheduling(null, Map.of(), Map.of(), Spread.NONE, List.of());

  public Scheduling {
    nodeLabels = nodeLabels == null ? Map.of() : Map.copyOf(nodeLabels);
    prefer = prefer == null ? Map.of() : Map.copyOf(prefer);
    spread = spread == null ? Spread.NONE : spread;
    affinity = affinity == null ? List.of() : List.copyOf(affinity);
  }

  /** How instances of one app spread over hosts. */
  public enum Spread {
    STRICT,
    PREFERRED,
    NONE;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Run near ({@code anti = false}) or away from ({@code anti = true}) another app's instances;
   * {@code required} or preferred.
   */
  public record AppAffinity(String app, boolean anti, boolean required) {}
}
