package dev.berth.oci.replication;

import dev.berth.oci.registry.Manifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of a repository plan ({@link ReplicationEngine#submitAll}): looks up every image
 * of the group in parallel (target digest, source manifest), answers the syncs the target already
 * has without a job, starts the other jobs in one batch, copies them with {@link RepositoryCopier}
 * and ends each job. An image the plan could not look up goes the image-by-image way from scratch;
 * one whose copy failed with a fault that may pass continues with attempt 2. Runs under one of the
 * engine's image slots.
 */
final class RepositoryPlans {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryPlans.class);

  private final ReplicationEngine engine;
  private final RepositoryCopier copier;

  RepositoryPlans(ReplicationEngine engine, RepositoryCopier copier) {
    this.engine = engine;
    this.copier = copier;
  }

  /** Requests planned together: same clients, same repositories, same trigger. */
  static List<Object> group(ReplicationRequest r) {
    return List.of(r.source().client(), r.source().ref().apiHost() + "/" + r.source().ref().repository(),
        r.target().client(), r.target().ref().apiHost() + "/" + r.target().ref().repository(), r.trigger());
  }

  void run(List<ReplicationRequest> requests, List<CompletableFuture<ReplicationOutcome>> outcomes) {
    List<Runnable> later = new ArrayList<>();
    String[] jobIds = new String[requests.size()];
    engine.slots.acquireUninterruptibly();
    try {
      plan(requests, outcomes, jobIds, later);
    } catch (RuntimeException | Error e) {
      for (int i = 0; i < requests.size(); i++) {
        if (!outcomes.get(i).isDone()) {
          ReplicationOutcome failed = ReplicationEngine.unexpected(e);
          engine.finish(jobIds[i], failed);
          outcomes.get(i).complete(failed);
        }
      }
    } finally {
      engine.slots.release();
    }
    later.forEach(engine.executor::execute);
  }

  private void plan(List<ReplicationRequest> requests, List<CompletableFuture<ReplicationOutcome>> outcomes, String[] jobIds,
      List<Runnable> later) {
    int n = requests.size();
    Manifest[] tops = new Manifest[n];
    boolean[] present = new boolean[n];
    List<Integer> all = IntStream.range(0, n).boxed().toList();
    Map<Integer, RuntimeException> unresolved = copier.each(all, i -> {
      ReplicationRequest r = requests.get(i);
      Optional<String> there = r.target().client().findManifest(r.target().ref());
      tops[i] = r.source().client().getManifest(r.source().ref());
      present[i] = there.isPresent() && there.get().equals(tops[i].digest());
    });
    List<Integer> work = new ArrayList<>();
    for (int i : all) {
      ReplicationRequest r = requests.get(i);
      CompletableFuture<ReplicationOutcome> f = outcomes.get(i);
      if (unresolved.containsKey(i)) {
        later.add(() -> f.complete(outcomeOf(r)));
      } else if (present[i] && r.trigger() == Trigger.SYNC) {
        f.complete(ReplicationEngine.NOTHING_TO_DO);
      } else {
        work.add(i);
      }
    }
    if (work.isEmpty()) {
      return;
    }
    Instant start = engine.clock.instant();
    List<String> ids = startJobs(requests, work, start);
    for (int k = 0; k < work.size(); k++) {
      jobIds[work.get(k)] = k < ids.size() ? ids.get(k) : null;
    }
    List<Integer> copying = new ArrayList<>();
    List<RepositoryCopier.Image> images = new ArrayList<>();
    for (int i : work) {
      ReplicationRequest r = requests.get(i);
      if (present[i]) { // a push or pull-through of what the target has: recorded, nothing sent
        outcomes.get(i).complete(engine.succeeded(r, jobIds[i], start, 1, new CopyStats(tops[i].digest(), 0, 0, 0, 0, 0, true)));
      } else {
        copying.add(i);
        images.add(new RepositoryCopier.Image(r.source(), r.target(), tops[i]));
      }
    }
    List<RepositoryCopier.Result> results = copier.copy(images);
    for (int k = 0; k < copying.size(); k++) {
      int i = copying.get(k);
      ReplicationRequest r = requests.get(i);
      String jobId = jobIds[i];
      CompletableFuture<ReplicationOutcome> f = outcomes.get(i);
      RepositoryCopier.Result result = results.get(k);
      if (result.failure() == null) {
        f.complete(engine.succeeded(r, jobId, start, 1, result.stats()));
      } else if (!RetryPolicy.retryable(result.failure()) || engine.retry.maxAttempts() == 1) {
        f.complete(engine.afterFailure(r, jobId, start, 1, result.failure()).orElseThrow());
      } else {
        RuntimeException failure = result.failure();
        later.add(() -> f.complete(retried(r, jobId, start, failure)));
      }
    }
  }

  private List<String> startJobs(List<ReplicationRequest> requests, List<Integer> work, Instant start) {
    List<JobRecorder.JobStart> starts = work.stream().map(i -> ReplicationEngine.jobStart(requests.get(i), start)).toList();
    try {
      return engine.jobs.startedAll(starts);
    } catch (RuntimeException e) {
      LOG.warn("cannot record {} replication job(s) ({}); the copies go on", starts.size(), e.toString());
      return List.of();
    }
  }

  /** Attempt 1 failed in the plan: the back-off, then the image-by-image attempts from 2 on. */
  private ReplicationOutcome retried(ReplicationRequest r, String jobId, Instant start, RuntimeException failure) {
    engine.slots.acquireUninterruptibly();
    try {
      return engine.afterFailure(r, jobId, start, 1, failure).orElseGet(() -> engine.attempts(r, jobId, start, 2));
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
