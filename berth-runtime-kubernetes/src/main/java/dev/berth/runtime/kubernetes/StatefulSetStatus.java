package dev.berth.runtime.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.runtime.WorkloadStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * Reads a StatefulSet's status (plain or OpenKruise Advanced, same field names) as Berth sees it,
 * and maps the controller's revision hashes ({@code status.currentRevision}, {@code
 * status.updateRevision}, each pod's {@code controller-revision-hash} label) to Berth revisions:
 * first by the pods that carry the hash (their {@link Labels#REVISION} comes from the template of
 * that revision), else by the StatefulSet's own annotations once its controller has observed the
 * latest spec. Pure; no I/O.
 */
final class StatefulSetStatus {
  /** The label the StatefulSet controller puts on each pod: the revision it was made from. */
  static final String REVISION_HASH = "controller-revision-hash";

  private StatefulSetStatus() {}

  /** The status of {@code sts}, with {@code pods} (the app's pods) to map revision hashes. */
  static WorkloadStatus of(String app, HasMetadata sts, List<Pod> pods) {
    JsonNode status = Serialization.jsonMapper().valueToTree(sts).path("status");
    String update = status.path("updateRevision").asText(null);
    String current = status.path("currentRevision").asText(null);
    long updateRevision = revision(sts, update, pods);
    return new WorkloadStatus(
        app,
        status.path("replicas").asInt(0),
        status.path("readyReplicas").asInt(0),
        status.path("updatedReplicas").asInt(0),
        current != null && current.equals(update) ? updateRevision : revision(sts, current, pods),
        updateRevision,
        observed(sts));
  }

  /**
   * The Berth revision a pod with controller-revision-hash {@code hash} runs: by the app's pods
   * that carry that hash and a revision label, else by the StatefulSet; 0 when not known.
   */
  static long revision(HasMetadata sts, String hash, List<Pod> pods) {
    if (hash == null) {
      return 0;
    }
    for (Pod p : pods) {
      String revision = PodMapper.label(p, Labels.REVISION);
      if (hash.equals(PodMapper.label(p, REVISION_HASH)) && revision != null) {
        return parse(revision);
      }
    }
    return revision(sts, hash);
  }

  /**
   * The Berth revision of {@code hash} by the StatefulSet alone: its {@link Labels#REVISION}
   * annotation for the update revision, {@link Labels#CURRENT_REVISION} for the current one, once
   * its controller has observed the latest spec; else 0.
   */
  static long revision(HasMetadata sts, String hash) {
    if (sts == null || hash == null || !observed(sts)) {
      return 0;
    }
    JsonNode status = Serialization.jsonMapper().valueToTree(sts).path("status");
    Map<String, String> annotations = sts.getMetadata().getAnnotations();
    if (annotations == null) {
      return 0;
    }
    if (hash.equals(status.path("updateRevision").asText(null))) {
      return parse(annotations.get(Labels.REVISION));
    }
    if (hash.equals(status.path("currentRevision").asText(null))) {
      return parse(annotations.get(Labels.CURRENT_REVISION));
    }
    return 0;
  }

  /** Whether the controller has seen the StatefulSet's latest spec (its status describes it). */
  static boolean observed(HasMetadata sts) {
    JsonNode observed =
        Serialization.jsonMapper().valueToTree(sts).path("status").path("observedGeneration");
    Long generation = sts.getMetadata().getGeneration();
    return observed.isNumber() && (generation == null || observed.asLong() >= generation);
  }

  private static long parse(String revision) {
    try {
      return revision == null ? 0 : Long.parseLong(revision);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
