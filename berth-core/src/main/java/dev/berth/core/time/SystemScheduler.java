package dev.berth.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The production {@link Scheduler}: the system clock and one small platform timer thread that hands
 * every run to a virtual thread, so a slow task never delays the timer. The only place in Berth's
 * main code that creates a scheduled executor or calls {@code Thread.sleep}.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SystemScheduler.class.getName());

  private final Clock clock;
  private final ScheduledExecutorService timer;

  public SystemScheduler(String name) {
    this(name, Clock.systemUTC());
  }

  public SystemScheduler(String name, Clock clock) {
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name(name + "-timer").daemon(true).factory());
  }

  @Override
  public Instant instant() {
    return clock.instant();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    try {
      ScheduledFuture<?> f =
          timer.schedule(
              () -> Thread.ofVirtual().start(() -> runLogged(task)),
              Math.max(0, delay.toNanos()),
              TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      return Cancellable
          .NONE; // closed: nothing runs any more (work handed over during shutdown is dropped)
    }
  }

  @Override
  public Cancellable scheduleWithFixedDelay(Duration initialDelay, Duration period, Runnable task) {
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be > 0, was " + period);
    }
    Periodic p = new Periodic(period, task);
    p.arm(initialDelay);
    return p::cancel;
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.isPositive()) {
      Thread.sleep(duration);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      LOG.log(
          Level.WARNING, "scheduled work failed; it runs again at its next time if periodic", e);
    }
  }

  /** Fixed delay measured from the end of each run; a run never overlaps the next. */
  private final class Periodic {
    private final Duration period;
    private final Runnable task;
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> next;

    Periodic(Duration period, Runnable task) {
      this.period = period;
      this.task = task;
    }

    void arm(Duration delay) {
      if (cancelled || timer.isShutdown()) {
        return;
      }
      try {
        next =
            timer.schedule(
                () -> Thread.ofVirtual().start(this::runOnce),
                Math.max(0, delay.toNanos()),
                TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // the scheduler was closed between the check and the schedule: nothing more to run
      }
    }

    private void runOnce() {
      if (cancelled) {
        return;
      }
      try {
        runLogged(task);
      } finally {
        arm(period);
      }
    }

    void cancel() {
      cancelled = true;
      ScheduledFuture<?> f = next;
      if (f != null) {
        f.cancel(false);
      }
    }
  }
}
