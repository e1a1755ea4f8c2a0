package dev.berth.core.release;

import java.time.Instant;
import java.util.List;

/**
 * One release of an application: from the revision its instances ran ({@code fromRevision}, the
 * stable one) to {@code toRevision}, by a {@link ReleaseStrategy}, batch after batch. Persistent:
 * every field the planner needs to resume after a crash is here, so a restarted Berth goes on with
 * the same batch and never redoes a finished one.
 *
 * <p>{@code batch} is the current batch's index in {@code batches}; {@code instances} the instances
 * the release has touched with their phase; {@code first} the ordinals that go before the others
 * (the whitelist resolved when the release started, after the instances a superseded release had
 * already moved). {@code reason} is one CamelCase word ({@code AwaitingPromotion}, {@code
 * PausedByHand}, {@code CrashLoopBackOff}, {@code NotReady}, {@code DeadlineExceeded}, ...) and
 * {@code message} a sentence for people. {@code version} guards concurrent writes.
 */
public record Release(
    long id,
    String app,
    long fromRevision,
    long toRevision,
    ReleaseStrategy strategy,
    ReleaseState state,
    int batch,
    List<BatchProgress> batches,
    List<InstanceProgress> instances,
    List<Integer> first,
    String reason,
    String message,
    String startedBy,
    Instant startedAt,
    Instant updatedAt,
    Instant finishedAt,
    long version) {
  public Release {
    batches = batches == null ? List.of() : List.copyOf(batches);
    instances = instances == null ? List.of() : List.copyOf(instances);
    first = first == null ? List.of() : List.copyOf(first);
    reason = reason == null ? "" : reason;
    message = message == null ? "" : message;
  }

  /**
   * A release that has just started (id 0 until stored).
   *
   * @param carried instances a superseded release had moved: they go first, draining again
   */
  public static Release start(
      String app,
      long from,
      long to,
      ReleaseStrategy strategy,
      int instanceCount,
      List<Integer> first,
      List<InstanceProgress> carried,
      String startedBy,
      Instant now) {
    List<Integer> targets = strategy.targets(instanceCount);
    List<BatchProgress> batches =
        java.util.stream.IntStream.range(0, targets.size())
            .mapToObj(i -> new BatchProgress(i, targets.get(i), i == 0 ? now : null, null, null))
            .toList();
    return new Release(
        0,
        app,
        from,
        to,
        strategy,
        ReleaseState.PROGRESSING,
        0,
        batches,
        carried,
        first,
        "Started",
        "releasing revision "
            + to
            + " over revision "
            + from
            + " in "
            + batches.size()
            + " batch(es)",
        startedBy,
        now,
        now,
        null,
        0);
  }

  /** Whether this release still drives its app's instances. */
  public boolean active() {
    return state == ReleaseState.PROGRESSING || state == ReleaseState.PAUSED || returning();
  }

  /** Aborted or failed, and some instance it updated has not returned to the from-revision yet. */
  public boolean returning() {
    return (state == ReleaseState.ABORTED || state == ReleaseState.FAILED) && finishedAt == null;
  }

  /** The revision the app settles on: the new one unless the release was aborted or failed. */
  public long targetRevision() {
    return state == ReleaseState.ABORTED || state == ReleaseState.FAILED
        ? fromRevision
        : toRevision;
  }

  /** Whether the current batch is done and a manual promotion is awaited. */
  public boolean awaitingPromotion() {
    return state == ReleaseState.PAUSED && "AwaitingPromotion".equals(reason);
  }

  public Release withState(ReleaseState s, String why, String text, Instant now) {
    Instant finished =
        s == ReleaseState.SUCCEEDED || s == ReleaseState.SUPERSEDED ? now : finishedAt;
    return new Release(
        id,
        app,
        fromRevision,
        toRevision,
        strategy,
        s,
        batch,
        batches,
        instances,
        first,
        why,
        text,
        startedBy,
        startedAt,
        now,
        finished,
        version);
  }

  public Release withProgress(
      int nextBatch, List<BatchProgress> b, List<InstanceProgress> i, Instant now) {
    return new Release(
        id,
        app,
        fromRevision,
        toRevision,
        strategy,
        state,
        nextBatch,
        b,
        i,
        first,
        reason,
        message,
        startedBy,
        startedAt,
        now,
        finishedAt,
        version);
  }

  /** This release settled after its instances returned to the from-revision. */
  public Release returned(Instant now) {
    return new Release(
        id,
        app,
        fromRevision,
        toRevision,
        strategy,
        state,
        batch,
        batches,
        List.of(),
        first,
        reason,
        message,
        startedBy,
        startedAt,
        now,
        now,
        version);
  }

  public Release withId(long newId, long newVersion) {
    return new Release(
        newId,
        app,
        fromRevision,
        toRevision,
        strategy,
        state,
        batch,
        batches,
        instances,
        first,
        reason,
        message,
        startedBy,
        startedAt,
        updatedAt,
        finishedAt,
        newVersion);
  }
}
