package dev.berth.core.control;

import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a {@link Reconciler} for keys as they are enqueued, like a Kubernetes controller's work
 * queue: a key is never reconciled twice at once, a key enqueued while it runs runs once more
 * afterwards, many enqueues of a waiting key collapse into one, failures are retried with
 * exponential back-off (1 s doubling to 60 s) and reported through {@code onFailure}, and the loop
 * never dies.
 *
 * <p>Every pass, delayed or not, is handed to the {@link Scheduler} (the system one runs each on a
 * virtual thread), so tests drive the queue by moving a {@code ManualScheduler}'s time. At most
 * {@code parallelism} keys are reconciled at once.
 */
public final class WorkQueue implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WorkQueue.class.getName());
  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final String name;
  private final Reconciler reconciler;
  private final BiConsumer<String, String> onFailure;
  private final Semaphore permits;
  private final Scheduler scheduler;
  private final Map<String, KeyState> keys = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private enum Phase {
    QUEUED,
    RUNNING,
    RUNNING_DIRTY
  }

  private record KeyState(Phase phase, int failures) {}

  /**
   * @param onFailure called with key and reason after a failed pass (also after a thrown exception)
   * @param scheduler runs the passes and waits out requeue delays and back-offs
   */
  public WorkQueue(
      String name,
      Reconciler reconciler,
      int parallelism,
      BiConsumer<String, String> onFailure,
      Scheduler scheduler) {
    this.name = name;
    this.reconciler = reconciler;
    this.onFailure = onFailure;
    this.permits = new Semaphore(parallelism);
    this.scheduler = scheduler;
  }

  /** Reconciles {@code key} soon. */
  public void enqueue(String key) {
    if (closed) {
      return;
    }
    boolean[] start = {false};
    keys.compute(
        key,
        (k, s) -> {
          if (s == null) {
            start[0] = true;
            return new KeyState(Phase.QUEUED, 0);
          }
          return switch (s.phase()) {
            case QUEUED, RUNNING_DIRTY -> s;
            case RUNNING -> new KeyState(Phase.RUNNING_DIRTY, s.failures());
          };
        });
    if (start[0]) {
      runAfter(key, Duration.ZERO);
    }
  }

  /** Reconciles {@code key} after {@code delay}. */
  public void enqueueAfter(String key, Duration delay) {
    if (closed) {
      return;
    }
    scheduler.schedule(delay, () -> enqueue(key));
  }

  /** Keys waiting or running now. */
  public int size() {
    return keys.size();
  }

  private void runAfter(String key, Duration delay) {
    scheduler.schedule(delay, () -> run(key));
  }

  private void run(String key) {
    if (closed) {
      return;
    }
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    int failures;
    Result result;
    try {
      failures =
          keys.compute(key, (k, s) -> new KeyState(Phase.RUNNING, s == null ? 0 : s.failures()))
              .failures();
      try {
        result = reconciler.reconcile(key);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING, name + ": reconcile of '" + key + "' threw; retrying with back-off", e);
        result =
            Result.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
    } finally {
      permits.release();
    }
    finish(key, result, failures);
  }

  private void finish(String key, Result result, int failures) {
    int nextFailures = result instanceof Result.Failed ? failures + 1 : 0;
    KeyState after =
        keys.compute(
            key,
            (k, s) ->
                s != null && s.phase() == Phase.RUNNING_DIRTY
                    ? new KeyState(Phase.QUEUED, nextFailures)
                    : null);
    if (after != null) {
      runAfter(key, Duration.ZERO);
      return;
    }
    switch (result) {
      case Result.Done d -> {}
      case Result.Requeue r -> enqueueAfter(key, r.after());
      case Result.Failed f -> {
        Duration backoff = backoff(nextFailures);
        try {
          onFailure.accept(key, f.reason() + "; retrying in " + backoff.toSeconds() + "s");
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, name + ": failure handler threw", e);
        }
        // Keep the failure count across the delay so that the back-off keeps growing.
        keys.putIfAbsent(key, new KeyState(Phase.QUEUED, nextFailures));
        if (!closed) {
          runAfter(key, backoff);
        }
      }
    }
  }

  /** 1 s, 2 s, 4 s ... at most 60 s. */
  public static Duration backoff(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    long ms = MIN_BACKOFF.toMillis() << Math.min(failures - 1, 16);
    return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
  }

  /** Stops taking keys; passes already running finish, waiting ones never start. */
  @Override
  public void close() {
    closed = true;
  }
}
