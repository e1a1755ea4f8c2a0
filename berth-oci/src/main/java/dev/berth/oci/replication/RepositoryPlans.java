package dev.berth.oci.replication;

import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.oci.registry.Manifest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of a repository plan ({@link ReplicationEngine#submitAll}). Every image of the
 * group goes on by itself, all at once: its source manifest and its target digest are looked up
 * together (no HEAD when one listing of the target's tags shows the tag missing; when it shows the
 * whole repository missing, blobs go without a HEAD too: there is nothing to skip); a sync the
 * target already has is answered without a job; otherwise its job starts, its content is copied
 * through the shared {@link RepositoryCopier.Plan} (each blob once for the whole repository) and
 * its job ends. An image whose look-up failed goes the image-by-image way from scratch; one whose
 * copy failed with a fault that may pass continues image by image from attempt 2. A plan runs under
 * one of the engine's image slots.
 */
final class RepositoryPlans {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryPlans.class);

  /**
   * What one listing of the target's tags said: its tags (none when the repository is missing), or
   * null tags when the listing failed and every tag has to be looked up.
   */
  private record TargetListing(Set<String> tags, boolean repositoryMissing) {
    boolean lacks(String tag) {
      return tags != null && !tags.contains(tag);
    }
  }

  private final ReplicationEngine engine;
  private final RepositoryCopier copier;

  RepositoryPlans(ReplicationEngine engine, RepositoryCopier copier) {
    this.engine = engine;
    this.copier = copier;
  }

  /** Requests planned together: same clients, same repositories, same trigger. */
  static List<Object> group(ReplicationRequest r) {
    return List.of(
        r.source().client(),
        r.source().ref().apiHost() + "/" + r.source().ref().repository(),
        r.target().client(),
        r.target().ref().apiHost() + "/" + r.target().ref().repository(),
        r.trigger());
  }

  void run(
      List<ReplicationRequest> requests, List<CompletableFuture<ReplicationOutcome>> outcomes) {
    Queue<Runnable> later = new ConcurrentLinkedQueue<>();
    long t0 = System.nanoTime();
    engine.slots.acquireUninterruptibly();
    ReplicationRequest first = requests.getFirst();
    TargetListing targetTags = targetTags(first);
    try (RepositoryCopier.Plan plan =
            copier.plan(first.source(), first.target(), targetTags.repositoryMissing());
        var images = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < requests.size(); i++) {
        ReplicationRequest r = requests.get(i);
        CompletableFuture<ReplicationOutcome> f = outcomes.get(i);
        images.execute(
            () -> {
              try {
                image(r, f, plan, targetTags, later);
              } catch (RuntimeException | Error e) {
                f.complete(ReplicationEngine.unexpected(e));
              }
            });
      }
    } finally {
      engine.slots.release();
    }
    LOG.debug(
        "plan of {} image(s) {} -> {} took {} ms",
        requests.size(),
        first.source().ref().repository(),
        first.target().ref().repository(),
        (System.nanoTime() - t0) / 1_000_000);
    later.forEach(engine.executor::execute);
  }

  /** The tags the target repository has: one listing instead of a HEAD per tag it lacks. */
  private TargetListing targetTags(ReplicationRequest r) {
    try {
      return new TargetListing(
          Set.copyOf(copier.limited(() -> r.target().client().tags(r.target().ref(), 1000))),
          false);
    } catch (ImageNotFoundException e) {
      return new TargetListing(Set.of(), true);
    } catch (RuntimeException e) {
      return new TargetListing(null, false);
    }
  }

  private void image(
      ReplicationRequest r,
      CompletableFuture<ReplicationOutcome> f,
      RepositoryCopier.Plan plan,
      TargetListing targetTags,
      Queue<Runnable> later) {
    Manifest top;
    Optional<String> there;
    try {
      // both at once: the target's digest (unless the listing says it lacks the tag) and the
      // source's manifest
      CompletableFuture<Optional<String>> head =
          targetTags.lacks(r.target().ref().tag())
              ? CompletableFuture.completedFuture(Optional.empty())
              : CompletableFuture.supplyAsync(
                  () -> copier.limited(() -> r.target().client().findManifest(r.target().ref())),
                  engine.executor);
      top = copier.limited(() -> r.source().client().getManifest(r.source().ref()));
      there = head.join();
    } catch (RuntimeException e) {
      later.add(() -> f.complete(outcomeOf(r))); // the image-by-image way records and retries it
      return;
    }
    boolean present = there.filter(top.digest()::equals).isPresent();
    if (present && r.trigger() == Trigger.SYNC) {
      f.complete(ReplicationEngine.NOTHING_TO_DO);
      return;
    }
    Instant start = engine.clock.instant();
    String jobId =
        ReplicationEngine.record(() -> engine.jobs.started(ReplicationEngine.jobStart(r, start)))
            .orElse(null);
    if (present) { // a push or pull-through of what the target has: recorded, nothing sent
      f.complete(
          engine.succeeded(r, jobId, start, 1, new CopyStats(top.digest(), 0, 0, 0, 0, 0, true)));
      return;
    }
    try {
      f.complete(engine.succeeded(r, jobId, start, 1, plan.copy(r.target(), top)));
    } catch (RuntimeException e) {
      if (!RetryPolicy.retryable(e) || engine.retry.maxAttempts() == 1) {
        f.complete(engine.afterFailure(r, jobId, start, 1, e).orElseThrow());
      } else {
        later.add(() -> f.complete(retried(r, jobId, start, e)));
      }
    }
  }

  /** Attempt 1 failed in the plan: the back-off, then the image-by-image attempts from 2 on. */
  private ReplicationOutcome retried(
      ReplicationRequest r, String jobId, Instant start, RuntimeException failure) {
    engine.slots.acquireUninterruptibly();
    try {
      return engine
          .afterFailure(r, jobId, start, 1, failure)
          .orElseGet(() -> engine.attempts(r, jobId, start, 2));
    } catch (RuntimeException | Error e) {
      return ReplicationEngine.unexpected(e);
    } finally {
      engine.slots.release();
    }
  }

  private ReplicationOutcome outcomeOf(ReplicationRequest r) {
    try {
      return engine.run(r);
    } catch (RuntimeException | Error e) {
      return ReplicationEngine.unexpected(e);
    }
  }
}
