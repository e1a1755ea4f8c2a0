package dev.berth.server.pipeline;

import java.time.Instant;

/**
 * One promotion of {@code image} (pinned to its digest) from environment {@code from} (app {@code
 * fromApp}, its succeeded release {@code fromRelease}) into environment {@code to} (app {@code
 * toApp}); {@code release} is the release it started there (0 until then). {@code decidedBy} and
 * {@code decidedAt} name who approved or rejected it; {@code message} says what happened last.
 */
public record Promotion(
    long id,
    String pipeline,
    String from,
    String fromApp,
    long fromRelease,
    String to,
    String toApp,
    String image,
    String digest,
    PromotionState state,
    String requestedBy,
    Instant requestedAt,
    String decidedBy,
    Instant decidedAt,
    long release,
    String message,
    long version) {

  public Promotion withId(long newId, long newVersion) {
    return new Promotion(
        newId,
        pipeline,
        from,
        fromApp,
        fromRelease,
        to,
        toApp,
        image,
        digest,
        state,
        requestedBy,
        requestedAt,
        decidedBy,
        decidedAt,
        release,
        message,
        newVersion);
  }

  /** The same promotion moved to {@code next}, decided by {@code by} at {@code at}. */
  public Promotion decided(PromotionState next, String by, Instant at, String why) {
    return new Promotion(
        id,
        pipeline,
        from,
        fromApp,
        fromRelease,
        to,
        toApp,
        image,
        digest,
        next,
        requestedBy,
        requestedAt,
        by,
        at,
        release,
        why,
        version);
  }

  /** The same promotion, released as release {@code releaseId} of the target. */
  public Promotion released(long releaseId, String why) {
    return new Promotion(
        id,
        pipeline,
        from,
        fromApp,
        fromRelease,
        to,
        toApp,
        image,
        digest,
        PromotionState.RELEASED,
        requestedBy,
        requestedAt,
        decidedBy,
        decidedAt,
        releaseId,
        why,
        version);
  }
}
