package dev.berth.oci.replication;

import dev.berth.oci.replication.JobRecorder.JobStart;
import dev.berth.oci.replication.ReplicationOutcome.Result;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
 * Runs replications: at most {@code parallelImages} images at a time on virtual threads, each retried
 * by its {@link RetryPolicy} and reported to the {@link JobRecorder} as one job (start, retries, end).
 * A sync of an image the target already has is answered {@code UP_TO_DATE} without a job, so a
 * periodic full sync records only real work. The same source and target reference submitted again
 * while the first is still running share the first's future.
 *
 * <p>Never throws from a copy: every failure ends as a {@code FAILED} outcome with its reason.
 * Thread-safe. {@link #close()} stops accepting work and waits for what runs.
 */
public final class ReplicationEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationEngine.class);

  /** Waits between attempts; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final ImageCopier copier;
  private final JobRecorder jobs;
  private final RetryPolicy retry;
  private final InstantSource clock;
  private final Sleeper sleeper;
  private final Semaphore slots;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, CompletableFuture<ReplicationOutcome>> running = new ConcurrentHashMap<>();

  public ReplicationEngine(
      ImageCopier copier, JobRecorder jobs, RetryPolicy retry, int parallelImages, InstantSource clock, Sleeper sleeper) {
    if (parallelImages < 1) {
      throw new IllegalArgumentException("parallelImages must be >= 1, was " + parallelImages);
    }
    this.copier = copier;
    this.jobs = jobs;
    this.retry = retry;
    this.clock = clock;
    this.sleeper = sleeper;
    this.slots = new Semaphore(parallelImages);
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
                  f.complete(new ReplicationOutcome(Result.FAILED, null, null, 0, Duration.ZERO, null, describe(t)));
                } finally {
                  running.remove(key, f);
                }
              });
          return f;
        });
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
      return new ReplicationOutcome(Result.UP_TO_DATE, null, null, 0, Duration.ZERO, null, null);
    }
    Instant start = clock.instant();
    String jobId = record(() -> jobs.started(new JobStart(r.rule(), r.trigger(), r.source().toString(), r.target().toString(),
        r.source().ref().repository(), r.target().ref().tag(), start, r.pushedAt()))).orElse(null);
    String reason = null;
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        CopyStats stats = copier.copy(r.source(), r.target());
        Instant end = clock.instant();
        Duration latency = r.pushedAt() == null ? null : Duration.between(r.pushedAt(), end);
        ReplicationOutcome ok = new ReplicationOutcome(
            stats.upToDate() ? Result.UP_TO_DATE : Result.SUCCEEDED, jobId, stats, attempt, Duration.between(start, end), latency, null);
        finish(jobId, ok);
        return ok;
      } catch (RuntimeException e) {
        reason = describe(e);
        if (!RetryPolicy.retryable(e) || attempt >= retry.maxAttempts()) {
          String why = RetryPolicy.retryable(e) ? "gave up after " + attempt + " attempts: " + reason : reason;
          LOG.warn("replication {} -> {} failed: {}", r.source(), r.target(), why);
          ReplicationOutcome failed =
              new ReplicationOutcome(Result.FAILED, jobId, null, attempt, Duration.between(start, clock.instant()), null, why);
          finish(jobId, failed);
          return failed;
        }
        Duration wait = retry.backoff(attempt);
        LOG.info("replication {} -> {} attempt {} failed ({}); retrying in {} ms", r.source(), r.target(), attempt, reason, wait.toMillis());
        int a = attempt;
        String why = reason;
        if (jobId != null) {
          record(() -> {
            jobs.retrying(jobId, a, why);
            return "";
          });
        }
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          ReplicationOutcome stopped = new ReplicationOutcome(
              Result.FAILED, jobId, null, attempt, Duration.between(start, clock.instant()), null, "interrupted while waiting to retry: " + reason);
          finish(jobId, stopped);
          return stopped;
        }
      }
    }
  }

  private boolean upToDate(ReplicationRequest r) {
    try {
      Optional<String> target = r.target().client().findManifest(r.target().ref());
      if (target.isEmpty()) {
        return false;
      }
      String source = r.source().ref().digest() != null ? r.source().ref().digest() : r.source().client().headManifest(r.source().ref());
      return source.equals(target.get());
    } catch (RuntimeException e) {
      return false; // the job will meet the fault again and record it
    }
  }

  private void finish(String jobId, ReplicationOutcome outcome) {
    if (jobId != null) {
      record(() -> {
        jobs.finished(jobId, outcome);
        return "";
      });
    }
  }

  private static Optional<String> record(java.util.function.Supplier<String> call) {
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
