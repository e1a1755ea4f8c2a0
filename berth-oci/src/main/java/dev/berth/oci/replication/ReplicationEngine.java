package dev.berth.oci.replication;

import dev.berth.core.time.Scheduler;
import dev.berth.oci.replication.JobRecorder.JobStart;
import dev.berth.oci.replication.ReplicationOutcome.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs replications: at most {@code parallelImages} images at a time on virtual threads, each
 * retried by its {@link RetryPolicy} and reported to the {@link JobRecorder} as one job (start,
 * retries, end). A sync of an image the target already has is answered {@code UP_TO_DATE} without a
 * job, so a periodic full sync records only real work. The same source and target reference
 * submitted again while the first is still running share the first's future. {@link #submitAll}
 * copies the tags of one repository as one plan ({@link RepositoryPlans}), each still its own job.
 *
 * <p>Never throws from a copy: every failure ends as a {@code FAILED} outcome with its reason.
 * Thread-safe. {@link #close()} stops accepting work and waits for what runs.
 */
public final class ReplicationEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationEngine.class);

  /** A sync of an image the target already has: no job, no attempt. */
  static final ReplicationOutcome NOTHING_TO_DO =
      new ReplicationOutcome(Result.UP_TO_DATE, null, null, 0, Duration.ZERO, null, null);

  private final ImageCopier copier;
  final JobRecorder jobs;
  final RetryPolicy retry;
  final Scheduler clock;
  final Semaphore slots;
  final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, CompletableFuture<ReplicationOutcome>> running =
      new ConcurrentHashMap<>();
  private final RepositoryPlans plans;

  /**
   * @param clock the time of jobs and the waits between attempts ({@link Scheduler#sleep}); tests
   *     pass a {@code ManualScheduler}, whose sleeps return at once
   */
  public ReplicationEngine(
      ImageCopier copier,
      JobRecorder jobs,
      RetryPolicy retry,
      int parallelImages,
      Scheduler clock) {
    if (parallelImages < 1) {
      throw new IllegalArgumentException("parallelImages must be >= 1, was " + parallelImages);
    }
    this.copier = copier;
    this.jobs = jobs;
    this.retry = retry;
    this.clock = clock;
    this.slots = new Semaphore(parallelImages);
    this.plans =
        new RepositoryPlans(
            this, new RepositoryCopier(copier, parallelImages * copier.parallelBlobs()));
  }

  /** Queues a replication; the future completes with its outcome (never exceptionally). */
  public CompletableFuture<ReplicationOutcome> submit(ReplicationRequest request) {
    return running.computeIfAbsent(
        request.key(),
        key -> {
          CompletableFuture<ReplicationOutcome> f = new CompletableFuture<>();
          executor.execute(
              () -> {
                try {
                  f.complete(run(request));
                } catch (Throwable t) {
                  f.complete(unexpected(t));
                } finally {
                  running.remove(key, f);
                }
              });
          return f;
        });
  }

  /**
   * Queues many replications at once. Those with the same source and target repository and trigger
   * are copied as one plan ({@link RepositoryCopier}: every distinct blob checked and copied once,
   * everything in parallel), each still one job with its own outcome; an image the plan could not
   * copy goes on image by image with the remaining attempts. A request already running shares its
   * future. The futures come in the order of the requests and never complete exceptionally.
   */
  public List<CompletableFuture<ReplicationOutcome>> submitAll(List<ReplicationRequest> requests) {
    Map<List<Object>, List<ReplicationRequest>> groups = new LinkedHashMap<>();
    for (ReplicationRequest r : requests) {
      groups.computeIfAbsent(RepositoryPlans.group(r), k -> new ArrayList<>()).add(r);
    }
    Map<String, CompletableFuture<ReplicationOutcome>> futures = new HashMap<>();
    for (List<ReplicationRequest> group : groups.values()) {
      List<ReplicationRequest> planned = new ArrayList<>();
      List<CompletableFuture<ReplicationOutcome>> outcomes = new ArrayList<>();
      for (ReplicationRequest r : group) {
        CompletableFuture<ReplicationOutcome> f = new CompletableFuture<>();
        CompletableFuture<ReplicationOutcome> already = running.putIfAbsent(r.key(), f);
        if (already != null) {
          futures.put(r.key(), already);
          continue;
        }
        f.whenComplete((o, t) -> running.remove(r.key(), f));
        futures.put(r.key(), f);
        planned.add(r);
        outcomes.add(f);
      }
      if (!planned.isEmpty()) {
        executor.execute(() -> plans.run(planned, outcomes));
      }
    }
    return requests.stream().map(r -> futures.get(r.key())).toList();
  }

  /** Runs a replication on the calling thread (still counted against the parallelism). */
  public ReplicationOutcome run(ReplicationRequest request) {
    slots.acquireUninterruptibly();
    try {
      return replicate(request);
    } finally {
      slots.release();
    }
  }

  /** How many replications are queued or running. */
  public int inFlight() {
    return running.size();
  }

  private ReplicationOutcome replicate(ReplicationRequest r) {
    if (r.trigger() == Trigger.SYNC && upToDate(r)) {
      return NOTHING_TO_DO;
    }
    Instant start = clock.instant();
    String jobId = record(() -> jobs.started(jobStart(r, start))).orElse(null);
    return attempts(r, jobId, start, 1);
  }

  /**
   * Attempts from {@code attempt} on, until one succeeds, a failure is final or the attempts run
   * out.
   */
  ReplicationOutcome attempts(ReplicationRequest r, String jobId, Instant start, int attempt) {
    for (int a = attempt; ; a++) {
      try {
        return succeeded(r, jobId, start, a, copier.copy(r.source(), r.target()));
      } catch (RuntimeException e) {
        Optional<ReplicationOutcome> end = afterFailure(r, jobId, start, a, e);
        if (end.isPresent()) {
          return end.get();
        }
      }
    }
  }

  ReplicationOutcome succeeded(
      ReplicationRequest r, String jobId, Instant start, int attempt, CopyStats stats) {
    Instant end = clock.instant();
    Duration latency = r.pushedAt() == null ? null : Duration.between(r.pushedAt(), end);
    ReplicationOutcome ok =
        new ReplicationOutcome(
            stats.upToDate() ? Result.UP_TO_DATE : Result.SUCCEEDED,
            jobId,
            stats,
            attempt,
            Duration.between(start, end),
            latency,
            null);
    finish(jobId, ok);
    return ok;
  }

  /**
   * After failed attempt {@code attempt}: ends the job when the failure is final or no attempt is
   * left; else records the retry, waits the back-off and answers empty.
   */
  Optional<ReplicationOutcome> afterFailure(
      ReplicationRequest r, String jobId, Instant start, int attempt, RuntimeException e) {
    String reason = describe(e);
    if (!RetryPolicy.retryable(e) || attempt >= retry.maxAttempts()) {
      String why =
          RetryPolicy.retryable(e) ? "gave up after " + attempt + " attempts: " + reason : reason;
      LOG.warn("replication {} -> {} failed: {}", r.source(), r.target(), why);
      return Optional.of(failed(jobId, start, attempt, why));
    }
    Duration wait = retry.backoff(attempt);
    LOG.info(
        "replication {} -> {} attempt {} failed ({}); retrying in {} ms",
        r.source(),
        r.target(),
        attempt,
        reason,
        wait.toMillis());
    if (jobId != null) {
      record(
          () -> {
            jobs.retrying(jobId, attempt, reason);
            return "";
          });
    }
    try {
      clock.sleep(wait);
      return Optional.empty();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return Optional.of(
          failed(jobId, start, attempt, "interrupted while waiting to retry: " + reason));
    }
  }

  ReplicationOutcome failed(String jobId, Instant start, int attempts, String why) {
    ReplicationOutcome failed =
        new ReplicationOutcome(
            Result.FAILED,
            jobId,
            null,
            attempts,
            Duration.between(start, clock.instant()),
            null,
            why);
    finish(jobId, failed);
    return failed;
  }

  static JobStart jobStart(ReplicationRequest r, Instant start) {
    return new JobStart(
        r.rule(),
        r.trigger(),
        r.source().toString(),
        r.target().toString(),
        r.source().ref().repository(),
        r.target().ref().tag(),
        start,
        r.pushedAt());
  }

  static ReplicationOutcome unexpected(Throwable t) {
    return new ReplicationOutcome(Result.FAILED, null, null, 0, Duration.ZERO, null, describe(t));
  }

  private boolean upToDate(ReplicationRequest r) {
    try {
      Optional<String> target = r.target().client().findManifest(r.target().ref());
      if (target.isEmpty()) {
        return false;
      }
      String source =
          r.source().ref().digest() != null
              ? r.source().ref().digest()
              : r.source().client().headManifest(r.source().ref());
      return source.equals(target.get());
    } catch (RuntimeException e) {
      return false; // the job will meet the fault again and record it
    }
  }

  void finish(String jobId, ReplicationOutcome outcome) {
    if (jobId != null) {
      record(
          () -> {
            jobs.finished(jobId, outcome);
            return "";
          });
    }
  }

  static Optional<String> record(java.util.function.Supplier<String> call) {
    try {
      return Optional.ofNullable(call.get());
    } catch (RuntimeException e) {
      LOG.warn("cannot record a replication job ({}); the copy goes on", e.toString());
      return Optional.empty();
    }
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  @Override
  public void close() {
    executor.close();
  }
}
