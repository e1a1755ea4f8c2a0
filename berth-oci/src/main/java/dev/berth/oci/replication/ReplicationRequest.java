package dev.berth.oci.replication;

import java.time.Instant;

/**
 * One image to copy to one target.
 *
 * @param rule the replication rule's name (for job records and metrics)
 * @param trigger why
 * @param source where from: by digest when the push event named one (the copy is then verified
 *     against it), else by tag
 * @param target where to, always by tag
 * @param pushedAt when the source registry received the push (for push-to-replicated latency), or
 *     null
 */
public record ReplicationRequest(
    String rule, Trigger trigger, Endpoint source, Endpoint target, Instant pushedAt) {
  public ReplicationRequest {
    if (target.ref().tag() == null) {
      throw new IllegalArgumentException(
          "the target of a replication needs a tag, was " + target.ref());
    }
  }

  /** Identifies work that is the same: same source reference, same target reference. */
  String key() {
    return source.ref() + " -> " + target.ref();
  }
}
