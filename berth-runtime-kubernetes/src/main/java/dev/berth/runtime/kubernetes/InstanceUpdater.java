package dev.berth.runtime.kubernetes;

import dev.berth.core.event.Event;
import dev.berth.core.runtime.AppWorkload;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives an update instance by instance on a StatefulSet with {@code OnDelete}: runs {@link
 * InstanceUpdates#next} on the informer caches and deletes the one pod it names, then waits until
 * the caches show that pod gone or replaced before the next step. Called when Berth applies the app
 * and whenever one of its instances changes. One step at a time per app; thread-safe.
 */
final class InstanceUpdater {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(InstanceUpdater.class);
  private final String cluster;
  private final String namespace;
  private final Applier applier;
  private final Watchers watchers;
  private final InstantSource clock;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /** Per app, the pod deleted last, until the caches no longer hold it unchanged. */
  private final Map<String, Deleted> deleted = new ConcurrentHashMap<>();

  private record Deleted(String key, String uid) {}

  InstanceUpdater(
      String cluster, String namespace, Applier applier, Watchers watchers, InstantSource clock) {
    this.cluster = cluster;
    this.namespace = namespace;
    this.applier = applier;
    this.watchers = watchers;
    this.clock = clock;
  }

  /**
   * Takes the next step of {@code w}'s update and says which it was. Writes at most one delete;
   * none when every instance already runs the revision it should or one must be waited for.
   *
   * @throws dev.berth.core.runtime.RuntimeFailure when the delete fails after its retries (the next
   *     call tries again)
   */
  InstanceUpdates.Step step(AppWorkload w) {
    synchronized (locks.computeIfAbsent(w.app(), a -> new Object())) {
      Deleted last = deleted.get(w.app());
      if (last != null) {
        if (stillThere(last)) {
          return new InstanceUpdates.Step.Wait("the deleted pod is still in the cache");
        }
        deleted.remove(w.app());
      }
      InstanceUpdates.Step step = InstanceUpdates.next(w, watchers.instances(w.app()));
      if (step instanceof InstanceUpdates.Step.Replace r) {
        String key = namespace + "/" + r.id();
        Pod pod = watchers.pods.getStore().getByKey(key);
        applier.deletePod(r.id(), null);
        if (pod != null && pod.getMetadata().getUid() != null) {
          deleted.put(w.app(), new Deleted(key, pod.getMetadata().getUid()));
        }
        watchers.happened(
            Event.normal(
                clock.instant(),
                cluster,
                "instance",
                r.id(),
                w.app(),
                "UpdatingInstance",
                r.id()
                    + " deleted so that its StatefulSet creates it again on revision "
                    + w.updateRevision()
                    + (r.chosen() ? " (chosen to go first)" : "")));
      }
      return step;
    }
  }

  /**
   * {@link #step} off the controller's path (after an instance changed): a failure becomes a
   * Warning event and a log line; the next change or informer resync tries again.
   */
  void stepReporting(AppWorkload w) {
    try {
      step(w);
    } catch (RuntimeException e) {
      LOG.warn("cluster {}: updating an instance of {} failed: {}", cluster, w.app(), e.toString());
      watchers.happened(
          Event.warning(
              clock.instant(),
              cluster,
              "app",
              w.app(),
              w.app(),
              "UpdateFailed",
              e.getMessage() + "; tried again at the next change or resync"));
    }
  }

  /** Forgets an app whose update Berth no longer drives. */
  void forget(String app) {
    deleted.remove(app);
    locks.remove(app);
  }

  private boolean stillThere(Deleted last) {
    Pod p = watchers.pods.getStore().getByKey(last.key());
    return p != null
        && last.uid().equals(p.getMetadata().getUid())
        && p.getMetadata().getDeletionTimestamp() == null;
  }
}
