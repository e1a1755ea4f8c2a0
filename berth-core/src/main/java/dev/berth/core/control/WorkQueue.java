package dev.berth.core.control;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a {@link Reconciler} for keys as they are enqueued, like a Kubernetes controller's work queue:
 * a key is never reconciled twice at once, a key enqueued while it runs runs once more afterwards,
 * many enqueues of a waiting key collapse into one, failures are retried with exponential back-off
 * (1 s doubling to 60 s) and reported through {@code onFailure}, and the loop never dies.
 *
 * <p>At most {@code parallelism} keys are reconciled at once, each on a virtual thread.
 */
public final class WorkQueue implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WorkQueue.class.getName());
  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final String name;
  private final Reconciler reconciler;
  private final BiConsumer<String, String> onFailure;
  private final Semaphore permits;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timer;
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
   */
  public WorkQueue(String name, Reconciler reconciler, int parallelism, BiConsumer<String, String> onFailure) {
    this.name = name;
    this.reconciler = reconciler;
    this.onFailure = onFailure;
    this.permits = new Semaphore(parallelism);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name + "-timer");
              t.setDaemon(true);
              return t;
            });
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
      workers.execute(() -> run(key));
    }
  }

  /** Reconciles {@code key} after {@code delay}. */
  public void enqueueAfter(String key, Duration delay) {
    if (closed) {
      return;
    }
    timer.schedule(() -> enqueue(key), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Keys waiting or running now. */
  public int size() {
    return keys.size();
  }

  private void run(String key) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    int failures;
    try {
      failures = keys.compute(key, (k, s) -> new KeyState(Phase.RUNNING, s == null ? 0 : s.failures())).failures();
      Result result;
      try {
        result = reconciler.reconcile(key);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, name + ": reconcile of '" + key + "' threw; retrying with back-off", e);
        result = Result.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
      finish(key, result, failures);
    } finally {
      permits.release();
    }
  }

  private void finish(String key, Result result, int failures) {
    int nextFailures = result instanceof Result.Failed ? failures + 1 : 0;
    KeyState after = keys.compute(key, (k, s) -> s != null && s.phase() == Phase.RUNNING_DIRTY ? new KeyState(Phase.QUEUED, nextFailures) : null);
    if (after != null) {
      workers.execute(() -> run(key));
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
        timer.schedule(() -> workers.execute(() -> run(key)), backoff.toMillis(), TimeUnit.MILLISECONDS);
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

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
