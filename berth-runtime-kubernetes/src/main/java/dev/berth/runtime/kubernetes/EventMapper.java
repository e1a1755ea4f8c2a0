package dev.berth.runtime.kubernetes;

import dev.berth.core.event.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns Kubernetes events about Berth's objects into Berth events: scheduling failures, image pull
 * and crash back-offs, OOM kills, evictions, failed probes, Job deadlines. Events older than the
 * runtime's start are history already told and are skipped; a repeated event (same uid and count)
 * is told once.
 */
final class EventMapper {
  static final Set<String> REASONS =
      Set.of(
          "FailedScheduling",
          "BackOff",
          "OOMKilling",
          "OOMKilled",
          "Evicted",
          "Unhealthy",
          "Failed",
          "FailedCreate",
          "FailedMount",
          "DeadlineExceeded",
          "BackoffLimitExceeded",
          "Preempted",
          "FailedAttachVolume",
          "ErrImagePull");

  /** Berth's view of an involved object. */
  record Owner(String kind, String name, String app) {}

  /** Looks up the Berth owner of (kind, namespace, name). */
  interface Owners {
    Optional<Owner> of(String kind, String namespace, String name);
  }

  private final String cluster;
  private final Instant since;
  private final Map<String, Integer> seen = new ConcurrentHashMap<>();

  EventMapper(String cluster, Instant since) {
    this.cluster = cluster;
    this.since = since;
  }

  Optional<Event> map(io.fabric8.kubernetes.api.model.Event e, Owners owners) {
    if (e.getReason() == null
        || !REASONS.contains(e.getReason())
        || e.getInvolvedObject() == null) {
      return Optional.empty();
    }
    Instant at = time(e);
    if (at != null && at.isBefore(since)) {
      return Optional.empty();
    }
    int count = e.getCount() == null ? 1 : e.getCount();
    String uid =
        e.getMetadata().getUid() != null ? e.getMetadata().getUid() : e.getMetadata().getName();
    Integer before = seen.put(uid, count);
    if (before != null && before >= count) {
      return Optional.empty();
    }
    if (seen.size() > 100_000) {
      seen.clear();
    }
    ObjectReference ref = e.getInvolvedObject();
    String ns = ref.getNamespace() != null ? ref.getNamespace() : e.getMetadata().getNamespace();
    return owners
        .of(ref.getKind(), ns, ref.getName())
        .map(
            o -> {
              String message = e.getMessage() == null ? e.getReason() : e.getMessage().strip();
              Instant when = at == null ? since : at;
              return "Warning".equals(e.getType())
                  ? Event.warning(
                      when, cluster, o.kind(), o.name(), o.app(), e.getReason(), message)
                  : Event.normal(
                      when, cluster, o.kind(), o.name(), o.app(), e.getReason(), message);
            });
  }

  private static Instant time(io.fabric8.kubernetes.api.model.Event e) {
    if (e.getLastTimestamp() != null) {
      return PodMapper.time(e.getLastTimestamp());
    }
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      return PodMapper.time(e.getEventTime().getTime());
    }
    return PodMapper.time(e.getFirstTimestamp());
  }
}
