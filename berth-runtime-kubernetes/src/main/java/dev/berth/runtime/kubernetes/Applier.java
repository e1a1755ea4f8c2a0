package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.RuntimeFailure;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes desired objects (create, or replace guarded by the resourceVersion last seen) when, and
 * only when, they differ from what the informers hold; deletes only objects labelled {@code
 * managed-by: berth}. An object of the same name that Berth did not create is never touched:
 * applying fails, naming it. Before writing, each object is checked against the API server's field
 * rules ({@link ApiServerRules}); a live object whose immutable fields differ ({@link
 * ImmutableFields}) is deleted with its pods orphaned and created again.
 */
final class Applier {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Applier.class);
  private final KubernetesClient client;
  private final String namespace;
  private final Retry retry;
  private final Watchers watchers;
  private final AtomicLong writes = new AtomicLong();

  Applier(KubernetesClient client, String namespace, Retry retry, Watchers watchers) {
    this.client = client;
    this.namespace = namespace;
    this.retry = retry;
    this.watchers = watchers;
  }

  long writes() {
    return writes.get();
  }

  void apply(List<HasMetadata> objects) {
    for (HasMetadata o : objects) {
      HasMetadata live = cached(o);
      if (live != null && !differs(o, live)) {
        continue;
      }
      ApiServerRules.require(o, RuntimeFailure::new);
      String what = "apply " + o.getKind() + " " + namespace + "/" + o.getMetadata().getName();
      java.util.concurrent.atomic.AtomicBoolean first =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      retry.run(
          what,
          () -> {
            // The cached object on the first try; after a conflict, what the API server has now.
            HasMetadata current =
                first.getAndSet(false) && live != null ? live : client.resource(o).get();
            if (current != null && !Labels.managed(current)) {
              throw new RuntimeFailure(
                  o.getKind()
                      + " "
                      + namespace
                      + "/"
                      + o.getMetadata().getName()
                      + " exists and was not created by Berth (no label "
                      + Labels.MANAGED_BY
                      + "=berth); Berth leaves it alone: rename the app or remove that object");
            }
            writes.incrementAndGet();
            List<String> immutable = ImmutableFields.changed(current, o);
            if (current != null && !immutable.isEmpty()) {
              // The API server refuses to change these: delete the object, keeping its pods (the
              // new one
              // adopts them), then create it again.
              log.info(
                  "recreating {} {}/{}: immutable fields {} differ",
                  o.getKind(),
                  namespace,
                  o.getMetadata().getName(),
                  immutable);
              client.resource(current).withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
              client.resource(o).create();
            } else if (current == null) {
              client.resource(o).create();
            } else {
              // Replace guarded by the resourceVersion just seen: a concurrent change gives 409 and
              // a fresh try.
              HasMetadata copy = Serialization.unmarshal(Serialization.asJson(o), o.getClass());
              copy.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
              client.resource(copy).update();
            }
          });
    }
  }

  /** True when any object is missing from the caches or differs from what Berth would apply. */
  boolean drifted(List<HasMetadata> objects) {
    for (HasMetadata o : objects) {
      HasMetadata live = cached(o);
      if (live == null || differs(o, live)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Differs in the hash Berth stamped, or in what someone may have edited by hand (replicas, update
   * strategy type, partition, image).
   */
  static boolean differs(HasMetadata want, HasMetadata live) {
    if (!Objects.equals(Manifests.hashOf(want), Manifests.hashOf(live))) {
      return true;
    }
    if (want instanceof StatefulSet w && live instanceof StatefulSet l && l.getSpec() != null) {
      var ws = w.getSpec().getUpdateStrategy();
      var ls = l.getSpec().getUpdateStrategy();
      var wp = ws.getRollingUpdate() == null ? null : ws.getRollingUpdate().getPartition();
      var lp =
          ls == null || ls.getRollingUpdate() == null ? null : ls.getRollingUpdate().getPartition();
      var lt = ls == null ? null : ls.getType();
      String wi = w.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
      var lc =
          l.getSpec().getTemplate() == null || l.getSpec().getTemplate().getSpec() == null
              ? null
              : l.getSpec().getTemplate().getSpec().getContainers();
      String li = lc == null || lc.isEmpty() ? null : lc.getFirst().getImage();
      return !Objects.equals(w.getSpec().getReplicas(), l.getSpec().getReplicas())
          || !Objects.equals(ws.getType(), lt)
          || !Objects.equals(wp, lp)
          || !Objects.equals(wi, li);
    }
    return false;
  }

  HasMetadata cached(HasMetadata o) {
    String key = namespace + "/" + o.getMetadata().getName();
    if (o instanceof Service) {
      return watchers.services.getStore().getByKey(key);
    }
    if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job) {
      return watchers.jobs.getStore().getByKey(key);
    }
    return watchers.statefulSets.getStore().getByKey(key);
  }

  void deleteApp(String app, boolean kruise) {
    retry.run(
        "delete app " + app,
        () -> {
          writes.incrementAndGet();
          if (kruise) {
            client
                .genericKubernetesResources(Manifests.KRUISE_API_VERSION, "StatefulSet")
                .inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.BERTH)
                .withLabel(Labels.APP, app)
                .delete();
          } else {
            client
                .apps()
                .statefulSets()
                .inNamespace(namespace)
                .withLabel(Labels.MANAGED_BY, Labels.BERTH)
                .withLabel(Labels.APP, app)
                .delete();
          }
          client
              .services()
              .inNamespace(namespace)
              .withLabel(Labels.MANAGED_BY, Labels.BERTH)
              .withLabel(Labels.APP, app)
              .delete();
          // The garbage collector removes the pods with their StatefulSet; saying so explicitly
          // costs one call.
          client
              .pods()
              .inNamespace(namespace)
              .withLabel(Labels.MANAGED_BY, Labels.BERTH)
              .withLabel(Labels.APP, app)
              .delete();
        });
  }

  /** Deletes one pod Berth manages (the StatefulSet recreates it with the same name). */
  void deletePod(String name, Long graceSeconds) {
    retry.run(
        "delete pod " + namespace + "/" + name,
        () -> {
          Pod pod = watchers.pods.getStore().getByKey(namespace + "/" + name);
          if (pod == null) {
            pod = client.pods().inNamespace(namespace).withName(name).get();
          }
          if (pod == null || !Labels.managed(pod)) {
            return;
          }
          writes.incrementAndGet();
          var res = client.pods().inNamespace(namespace).withName(name);
          if (graceSeconds != null) {
            res.withGracePeriod(graceSeconds).delete();
          } else {
            res.delete();
          }
        });
  }

  /**
   * Sets the pod's traffic label ({@link Labels#TRAFFIC}) with a merge patch; a pod that is not
   * there (or not Berth's) is left alone: its replacement starts with the template's label.
   */
  void labelTraffic(String name, boolean online) {
    retry.run(
        "label pod " + namespace + "/" + name,
        () -> {
          Pod pod = watchers.pods.getStore().getByKey(namespace + "/" + name);
          if (pod == null) {
            pod = client.pods().inNamespace(namespace).withName(name).get();
          }
          if (pod == null || !Labels.managed(pod)) {
            return;
          }
          String value = online ? Labels.TRAFFIC_ON : Labels.TRAFFIC_OFF;
          if (value.equals(pod.getMetadata().getLabels().get(Labels.TRAFFIC))) {
            return;
          }
          writes.incrementAndGet();
          client
              .pods()
              .inNamespace(namespace)
              .withName(name)
              .patch(
                  io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                      io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                  "{\"metadata\":{\"labels\":{\"" + Labels.TRAFFIC + "\":\"" + value + "\"}}}");
        });
  }
}
