package dev.berth.runtime.kubernetes;

import dev.berth.core.app.AppSpec;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.InPlaceRules;
import dev.berth.core.runtime.ResizeResult;
import dev.berth.core.runtime.RuntimeFailure;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-place pod resize (Kubernetes 1.33 and later): each pod of the app gets the new resources
 * through its {@code resize} subresource and the new revision as its {@link Labels#REVISION}, so
 * Berth sees it on that revision. The StatefulSet's template then follows with the new resources;
 * for that revision its update strategy is {@code OnDelete} and it carries {@link #RESIZED_LIVE},
 * so the StatefulSet controller does not replace the resized pods for their old revision hash (a
 * pod that goes anyway comes back from the new template). The annotation keeps that across Berth
 * restarts; the next revision is released as usual.
 */
final class PodResizes {
  /** The StatefulSet annotation: the revision its pods took in place. */
  static final String RESIZED_LIVE = "berth.dev/resized-live";

  private final KubernetesClient client;
  private final String namespace;
  private final boolean kruise;
  private final Watchers watchers;
  private final Map<String, Long> resized = new ConcurrentHashMap<>();

  PodResizes(KubernetesClient client, String namespace, boolean kruise, Watchers watchers) {
    this.client = client;
    this.namespace = namespace;
    this.kruise = kruise;
    this.watchers = watchers;
  }

  ResizeResult resize(String app, long revision, AppSpec spec, AppWorkload applied) {
    if (kruise) {
      return ResizeResult.cannot(
          "in-place resize of OpenKruise's Advanced StatefulSets is not supported by Berth");
    }
    Optional<String> old = tooOld(version());
    if (old.isPresent()) {
      return ResizeResult.cannot(old.get());
    }
    if (applied != null) {
      Optional<String> no =
          InPlaceRules.refusal(List.of(applied.currentSpec(), applied.updateSpec()), spec);
      if (no.isPresent()) {
        return ResizeResult.cannot(no.get());
      }
    }
    String label =
        Serialization.asJson(
            Map.of("metadata", Map.of("labels", Map.of(Labels.REVISION, Long.toString(revision)))));
    for (Pod pod : watchers.appPods(app)) {
      String name = pod.getMetadata().getName();
      try {
        var p = client.pods().inNamespace(namespace).withName(name);
        p.subresource("resize").patch(PatchContext.of(PatchType.JSON), resizePatch(pod, spec));
        p.patch(PatchContext.of(PatchType.JSON_MERGE), label);
      } catch (KubernetesClientException | RuntimeFailure e) {
        return ResizeResult.cannot(
            "the API server refused the resize of pod " + name + ": " + e.getMessage());
      }
    }
    resized.put(app, revision);
    return ResizeResult.done();
  }

  /**
   * The body of a pod's {@code resize} subresource, a JSON patch: the app container's resources
   * replaced by exactly what the StatefulSet's template states ({@link Manifests#resources});
   * nothing else, which is all the subresource accepts. The container is found by name in {@code
   * pod}.
   */
  static String resizePatch(Pod pod, AppSpec spec) {
    List<io.fabric8.kubernetes.api.model.Container> containers = pod.getSpec().getContainers();
    int index = 0;
    while (index < containers.size()
        && !Manifests.APP_CONTAINER.equals(containers.get(index).getName())) {
      index++;
    }
    if (index == containers.size()) {
      throw new RuntimeFailure(
          "pod " + pod.getMetadata().getName() + " has no container " + Manifests.APP_CONTAINER);
    }
    Map<String, Object> replace = new java.util.LinkedHashMap<>();
    replace.put("op", "replace");
    replace.put("path", "/spec/containers/" + index + "/resources");
    replace.put("value", Manifests.resources(spec.resources()));
    return Serialization.asJson(List.of(replace));
  }

  /** Why this cluster cannot resize pods in place, or empty (1.33 and later can). */
  static Optional<String> tooOld(VersionInfo v) {
    int major = number(v.getMajor());
    int minor = number(v.getMinor());
    if (major > 1 || (major == 1 && minor >= 33)) {
      return Optional.empty();
    }
    return Optional.of(
        "Kubernetes "
            + v.getMajor()
            + "."
            + v.getMinor()
            + " resizes pods only by replacing them (in-place pod resize needs 1.33 or later)");
  }

  private static int number(String s) {
    String digits = s == null ? "" : s.replaceAll("[^0-9].*$", "");
    return digits.isEmpty() ? 0 : Integer.parseInt(digits);
  }

  private VersionInfo version() {
    try {
      return client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      throw new RuntimeFailure("cannot read the Kubernetes version: " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code w}'s StatefulSet keeps pods resized in place: the workload is settled on the
   * revision they took (remembered here, or on the live StatefulSet after a Berth restart).
   */
  boolean keepsPods(AppWorkload w) {
    if (kruise
        || w.currentRevision() != w.updateRevision()
        || w.partition() != 0
        || !w.updatedFirst().isEmpty()) {
      return false;
    }
    Long here = resized.get(w.app());
    if (here != null) {
      return here == w.updateRevision();
    }
    HasMetadata live = watchers.statefulSets.getStore().getByKey(namespace + "/" + w.app());
    String mark =
        live == null || live.getMetadata().getAnnotations() == null
            ? null
            : live.getMetadata().getAnnotations().get(RESIZED_LIVE);
    return Long.toString(w.updateRevision()).equals(mark);
  }

  /**
   * {@code objects} (a Service and a StatefulSet) with the StatefulSet set to keep its pods: {@code
   * OnDelete} and {@link #RESIZED_LIVE}, hashed again.
   */
  static List<HasMetadata> keepPods(List<HasMetadata> objects, long revision) {
    return objects.stream()
        .map(
            o -> {
              if (!(o instanceof StatefulSet sts)) {
                return o;
              }
              sts.getSpec()
                  .setUpdateStrategy(
                      new StatefulSetUpdateStrategyBuilder().withType("OnDelete").build());
              Map<String, String> annotations = new TreeMap<>(sts.getMetadata().getAnnotations());
              annotations.put(RESIZED_LIVE, Long.toString(revision));
              sts.getMetadata().setAnnotations(annotations);
              return (HasMetadata) Manifests.hashed(sts);
            })
        .toList();
  }
}
