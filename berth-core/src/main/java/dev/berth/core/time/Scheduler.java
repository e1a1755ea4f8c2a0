package dev.berth.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Time and waiting for everything in Berth that waits, retries, times out or repeats: the current
 * instant, work after a delay, work at a fixed delay, and a blocking sleep.
 *
 * <p>Components take a {@code Scheduler} instead of calling {@code Thread.sleep}, creating their
 * own {@code ScheduledExecutorService} or reading the system clock, so that tests can move time by
 * hand ({@code ManualScheduler} in core's test-jar) instead of waiting in real time.
 *
 * <p>Threading: every method may be called from any thread. Scheduled work runs on a thread the
 * implementation chooses (the system implementation uses a virtual thread per run); work must not
 * assume it runs on the caller's thread. A task that throws is logged by the implementation and,
 * for periodic work, runs again at its next time: one failure never stops a loop.
 */
public interface Scheduler extends InstantSource {

  /** The current instant of this scheduler's clock. */
  @Override
  Instant instant();

  /**
   * Runs {@code task} once, {@code delay} from now (at once for a zero or negative delay).
   *
   * @return a handle that cancels the run if it has not started
   */
  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Runs {@code task} first after {@code initialDelay}, then repeatedly {@code period} after each
   * run has finished (never two runs of the same task at once), until cancelled or the scheduler is
   * closed.
   *
   * @throws IllegalArgumentException when {@code period} is not positive
   */
  Cancellable scheduleWithFixedDelay(Duration initialDelay, Duration period, Runnable task);

  /**
   * Blocks the calling thread for {@code duration} of this scheduler's time. For blocking code that
   * must pause between attempts (a retry loop on a blocking connection); prefer {@link #schedule}.
   *
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /** A scheduled run that can be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** A handle for work that was never scheduled; cancelling it does nothing. */
    Cancellable NONE = () -> {};

    /** Cancels the run if it has not started; a run in progress finishes. Idempotent. */
    void cancel();
  }
}
