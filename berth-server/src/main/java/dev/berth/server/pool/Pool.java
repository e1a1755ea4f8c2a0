package dev.berth.server.pool;

import dev.berth.core.node.NodeInfo;
import dev.berth.core.support.Errors;
import dev.berth.core.support.KubernetesRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A machine pool: the nodes of {@code cluster} that carry every label of {@code selector} (an empty
 * selector takes every node), optionally with a {@code taint} that keeps other apps off them.
 */
public record Pool(
    String cluster,
    String name,
    Map<String, String> selector,
    NodeInfo.Taint taint,
    String updatedBy,
    Instant updatedAt) {
  static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  public Pool {
    selector =
        selector == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(selector));
  }

  /** Whether a node with {@code labels} belongs to this pool. */
  public boolean matches(Map<String, String> labels) {
    return selector.entrySet().stream()
        .allMatch(e -> labels != null && e.getValue().equals(labels.get(e.getKey())));
  }

  /** What is wrong with a pool named {@code name} with this selector and taint. */
  static Errors problems(String name, Map<String, String> selector, NodeInfo.Taint taint) {
    Errors errors = new Errors();
    if (name == null || name.isBlank()) {
      errors.add("name", "is required: lower-case letters, digits and '-'");
    } else {
      errors.dnsLabel(name, "name", KubernetesRules.LABEL_MAX);
    }
    if (selector != null) {
      selector.forEach(
          (k, v) -> {
            KubernetesRules.qualifiedName(k).forEach(m -> errors.add("selector." + k, "key " + m));
            if (v == null) {
              errors.add("selector." + k, "must have a value (use \"\" for an empty one)");
            } else {
              KubernetesRules.labelValue(v).forEach(m -> errors.add("selector." + k, m));
            }
          });
    }
    if (taint != null) {
      if (taint.key() == null || taint.key().isBlank()) {
        errors.add("taint.key", "is required with a taint, e.g. berth.dev/pool");
      } else {
        KubernetesRules.qualifiedName(taint.key()).forEach(m -> errors.add("taint.key", m));
      }
      if (taint.value() != null) {
        KubernetesRules.labelValue(taint.value()).forEach(m -> errors.add("taint.value", m));
      }
      if (!EFFECTS.contains(taint.effect())) {
        errors.add(
            "taint.effect",
            "must be one of "
                + EFFECTS
                + ", was "
                + (taint.effect() == null ? "nothing" : "'" + taint.effect() + "'"));
      }
    }
    return errors;
  }
}
