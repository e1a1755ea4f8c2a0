package dev.berth.runtime.kubernetes;

import dev.berth.core.app.Scheduling;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.node.PoolDirectory;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Scheduling rules as node selectors, tolerations and (anti-)affinity. Pure. */
final class Placement {
  private Placement() {}

  /**
   * The node labels asked for plus the pool's selector (null: no pool, or one that is gone). On the
   * same key the pool wins: a conflict is refused when the spec is written, so it can only come
   * from a pool changed later, and the pool is what keeps work on its nodes.
   */
  static Map<String, String> nodeSelector(
      Map<String, String> nodeLabels, PoolDirectory.Definition pool) {
    Map<String, String> m = new TreeMap<>(nodeLabels);
    if (pool != null) {
      m.putAll(pool.selector());
    }
    return m.isEmpty() ? null : m;
  }

  /**
   * Tolerates exactly the pool's taint: operator {@code Equal} with its value, or {@code Exists}
   * when the taint has no value. Empty without a pool or without a taint.
   */
  static List<Toleration> poolTolerations(PoolDirectory.Definition pool) {
    if (pool == null || pool.taint() == null) {
      return List.of();
    }
    NodeInfo.Taint t = pool.taint();
    boolean valueless = t.value() == null || t.value().isEmpty();
    return List.of(
        new Toleration(
            t.effect(),
            t.key(),
            valueless ? "Exists" : "Equal",
            null,
            valueless ? null : t.value()));
  }

  /**
   * How long pods stay on a node that is unreachable or not ready before Kubernetes evicts them: an
   * hour, well above Kubernetes' 300 s, so that a node that only lost its network for a while does
   * not have every pod on it evicted at once.
   */
  static final Duration DEFAULT_TOLERATE_UNREACHABLE = Duration.ofHours(1);

  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final String NOT_READY = "node.kubernetes.io/not-ready";

  /**
   * Tolerates the pool's taint ({@link #poolTolerations}), and the taints {@code
   * node.kubernetes.io/unreachable} and {@code not-ready} ({@code NoExecute}) for {@code
   * tolerateUnreachable}.
   */
  static List<Toleration> tolerations(PoolDirectory.Definition pool, Duration tolerateUnreachable) {
    List<Toleration> out = new ArrayList<>(poolTolerations(pool));
    long seconds = Math.max(0, tolerateUnreachable.toSeconds());
    out.add(new Toleration("NoExecute", NOT_READY, "Exists", seconds, null));
    out.add(new Toleration("NoExecute", UNREACHABLE, "Exists", seconds, null));
    return out;
  }

  static Affinity affinity(String app, Scheduling s) {
    NodeAffinity node = null;
    if (!s.prefer().isEmpty()) {
      List<PreferredSchedulingTerm> terms = new ArrayList<>();
      new TreeMap<>(s.prefer())
          .forEach(
              (k, v) ->
                  terms.add(
                      new PreferredSchedulingTerm(
                          new io.fabric8.kubernetes.api.model.NodeSelectorTerm(
                              List.of(new NodeSelectorRequirement(k, "In", List.of(v))), null),
                          50)));
      node = new NodeAffinity(terms, null);
    }
    List<PodAffinityTerm> antiRequired = new ArrayList<>();
    List<WeightedPodAffinityTerm> antiPreferred = new ArrayList<>();
    List<PodAffinityTerm> required = new ArrayList<>();
    List<WeightedPodAffinityTerm> preferred = new ArrayList<>();
    switch (s.spread()) {
      case STRICT -> antiRequired.add(term(app));
      case PREFERRED -> antiPreferred.add(new WeightedPodAffinityTerm(term(app), 100));
      case NONE -> {}
    }
    for (Scheduling.AppAffinity a : s.affinity()) {
      if (a.anti()) {
        if (a.required()) {
          antiRequired.add(term(a.app()));
        } else {
          antiPreferred.add(new WeightedPodAffinityTerm(term(a.app()), 50));
        }
      } else if (a.required()) {
        required.add(term(a.app()));
      } else {
        preferred.add(new WeightedPodAffinityTerm(term(a.app()), 50));
      }
    }
    if (node == null
        && antiRequired.isEmpty()
        && antiPreferred.isEmpty()
        && required.isEmpty()
        && preferred.isEmpty()) {
      return null;
    }
    AffinityBuilder b = new AffinityBuilder().withNodeAffinity(node);
    if (!required.isEmpty() || !preferred.isEmpty()) {
      b.withNewPodAffinity()
          .withRequiredDuringSchedulingIgnoredDuringExecution(required)
          .withPreferredDuringSchedulingIgnoredDuringExecution(preferred)
          .endPodAffinity();
    }
    if (!antiRequired.isEmpty() || !antiPreferred.isEmpty()) {
      b.withNewPodAntiAffinity()
          .withRequiredDuringSchedulingIgnoredDuringExecution(antiRequired)
          .withPreferredDuringSchedulingIgnoredDuringExecution(antiPreferred)
          .endPodAntiAffinity();
    }
    return b.build();
  }

  private static PodAffinityTerm term(String app) {
    return new PodAffinityTermBuilder()
        .withLabelSelector(
            new LabelSelectorBuilder().withMatchLabels(Map.of(Labels.APP, app)).build())
        .withTopologyKey(Labels.HOSTNAME)
        .build();
  }
}
