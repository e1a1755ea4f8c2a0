package dev.berth.runtime.kubernetes;

import dev.berth.core.node.Eviction;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.RuntimeFailure;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains on Kubernetes the way the cluster itself would: each app has a PodDisruptionBudget
 * (policy/v1, named like the app, selecting the app's pods, {@code maxUnavailable} from its release
 * strategy) that Berth writes when it is missing or different, and an instance leaves its node
 * through the pod's {@code eviction} subresource, which the API server refuses with 429 while the
 * budget allows no more disruption. Nothing is deleted behind the budget's back.
 */
final class Evictions {
  private final KubernetesClient client;
  private final String namespace;
  private final Retry retry;
  private final Watchers watchers;
  private final AtomicLong writes = new AtomicLong();

  Evictions(KubernetesClient client, String namespace, Retry retry, Watchers watchers) {
    this.client = client;
    this.namespace = namespace;
    this.retry = retry;
    this.watchers = watchers;
  }

  long writes() {
    return writes.get();
  }

  /** The budget Berth wants for {@code app}: at most {@code maxUnavailable} pods disrupted. */
  static PodDisruptionBudget budget(String app, String namespace, int maxUnavailable) {
    Map<String, String> labels = Labels.app(app);
    return Manifests.hashed(
        new PodDisruptionBudgetBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(app)
                    .withNamespace(namespace)
                    .withLabels(new TreeMap<>(labels))
                    .withAnnotations(new TreeMap<>())
                    .build())
            .withNewSpec()
            .withMaxUnavailable(new IntOrString(Math.max(1, maxUnavailable)))
            .withNewSelector()
            .withMatchLabels(new TreeMap<>(Labels.selector(app)))
            .endSelector()
            .endSpec()
            .build());
  }

  /**
   * Writes the app's budget when it is missing or differs from {@code maxUnavailable}; a budget of
   * that name that Berth did not create is left alone and named in the failure.
   */
  void ensureBudget(String app, int maxUnavailable) {
    PodDisruptionBudget want = budget(app, namespace, maxUnavailable);
    retry.run(
        "write PodDisruptionBudget " + namespace + "/" + app,
        () -> {
          var res = client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(app);
          PodDisruptionBudget live = res.get();
          if (live != null && !Labels.managed(live)) {
            throw new RuntimeFailure(
                "PodDisruptionBudget "
                    + namespace
                    + "/"
                    + app
                    + " exists and was not created by Berth; Berth leaves it alone: remove it"
                    + " or rename the app");
          }
          if (live != null
              && java.util.Objects.equals(Manifests.hashOf(live), Manifests.hashOf(want))) {
            return;
          }
          writes.incrementAndGet();
          if (live == null) {
            client.resource(want).create();
          } else {
            PodDisruptionBudget copy = new PodDisruptionBudgetBuilder(want).build();
            copy.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
            client.resource(copy).update();
          }
        });
  }

  /**
   * Ensures the budget, then posts a policy/v1 Eviction for the instance's pod: done when the API
   * server accepts it or the pod is gone (404), blocked with the budget named when it answers 429.
   *
   * @throws RuntimeFailure when the API server fails otherwise
   */
  Eviction evict(String app, int ordinal, int maxUnavailable) {
    ensureBudget(app, maxUnavailable);
    String pod = InstanceIds.id(app, ordinal);
    boolean accepted;
    try {
      writes.incrementAndGet();
      accepted =
          client
              .pods()
              .inNamespace(namespace)
              .withName(pod)
              .evict(
                  new EvictionBuilder()
                      .withNewMetadata()
                      .withName(pod)
                      .withNamespace(namespace)
                      .endMetadata()
                      .build());
    } catch (RuntimeException e) {
      if (Failures.code(e) == 404) {
        return Eviction.DONE;
      }
      throw new RuntimeFailure(
          "evict pod " + namespace + "/" + pod + ": " + Failures.describe(e), e);
    }
    return accepted ? Eviction.DONE : Eviction.blocked(blockedReason(app, maxUnavailable));
  }

  /**
   * Why the API server refused: the budget, with how many of the app's pods are ready as the
   * budget's status counts them, or as the pod informer does while the status is not computed.
   */
  String blockedReason(String app, int maxUnavailable) {
    int ready;
    int pods;
    var status = budgetStatus(app);
    if (status != null && status.getExpectedPods() != null && status.getExpectedPods() > 0) {
      ready = status.getCurrentHealthy() == null ? 0 : status.getCurrentHealthy();
      pods = status.getExpectedPods();
    } else {
      List<Pod> all =
          watchers.pods.getStore().list().stream()
              .filter(p -> app.equals(p.getMetadata().getLabels().get(Labels.APP)))
              .toList();
      ready = (int) all.stream().filter(PodMapper::ready).count();
      pods = all.size();
    }
    return blockedReason(app, Math.max(1, maxUnavailable), ready, pods);
  }

  private io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus budgetStatus(
      String app) {
    try {
      PodDisruptionBudget pdb =
          client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(app).get();
      return pdb == null ? null : pdb.getStatus();
    } catch (RuntimeException e) {
      return null; // the reason falls back to the pod informer
    }
  }

  /** The sentence a user reads next to a drain's blocked instance. Pure. */
  static String blockedReason(String app, int maxUnavailable, int ready, int pods) {
    return "the disruption budget of app "
        + app
        + " (PodDisruptionBudget "
        + app
        + ", at most "
        + maxUnavailable
        + " unavailable at once) refused the eviction: "
        + ready
        + " of "
        + pods
        + " instance"
        + (pods == 1 ? "" : "s")
        + " ready, at least "
        + Math.max(0, pods - maxUnavailable)
        + " must stay; tried again until the drain's deadline";
  }

  /** Deletes the app's budget (with the app). */
  void deleteBudget(String app) {
    retry.run(
        "delete PodDisruptionBudget " + namespace + "/" + app,
        () ->
            client
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.BERTH)
                .withLabel(Labels.APP, app)
                .delete());
  }
}
