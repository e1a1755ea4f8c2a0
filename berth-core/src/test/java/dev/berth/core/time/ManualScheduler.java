package dev.berth.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Scheduler} whose time only moves when a test moves it. {@link #advance} runs every task
 * that falls due, in time order, on the calling thread, so a test sees the effects as soon as it
 * returns. {@link #sleep} moves the time itself (a blocking retry loop finishes at once, having
 * "waited"). Thread-safe; shared by core's unit tests and by the other modules' tests through
 * core's test-jar.
 */
public final class ManualScheduler implements Scheduler {
  private final AtomicLong sequence = new AtomicLong();
  private final PriorityQueue<Job> queue = new PriorityQueue<>();
  private final List<Duration> slept = new ArrayList<>();
  private Instant now;

  public ManualScheduler() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public ManualScheduler(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Job job =
        new Job(
            now.plus(delay.isNegative() ? Duration.ZERO : delay),
            sequence.incrementAndGet(),
            task,
            null);
    queue.add(job);
    return () -> cancel(job);
  }

  @Override
  public synchronized Cancellable scheduleWithFixedDelay(
      Duration initialDelay, Duration period, Runnable task) {
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be > 0, was " + period);
    }
    Job job =
        new Job(
            now.plus(initialDelay.isNegative() ? Duration.ZERO : initialDelay),
            sequence.incrementAndGet(),
            task,
            period);
    queue.add(job);
    return () -> cancel(job);
  }

  /** Moves the time by {@code duration}, as if sleeping; records the pause for {@link #slept()}. */
  @Override
  public void sleep(Duration duration) {
    synchronized (this) {
      slept.add(duration);
    }
    advance(duration);
  }

  /** Moves the time forward by {@code duration}, running every task that falls due on the way. */
  public void advance(Duration duration) {
    Instant target;
    synchronized (this) {
      target = now.plus(duration);
    }
    while (true) {
      Job due;
      synchronized (this) {
        Job head = queue.peek();
        if (head == null || head.at.isAfter(target)) {
          if (now.isBefore(target)) {
            now = target;
          }
          return;
        }
        due = queue.poll();
        if (!due.live()) {
          continue;
        }
        if (due.at.isAfter(now)) {
          now = due.at;
        }
      }
      try {
        due.task.run();
      } finally {
        if (due.period != null && due.live()) {
          synchronized (this) {
            queue.add(
                new Job(
                    now.plus(due.period), sequence.incrementAndGet(), due.task, due.period, due));
          }
        }
      }
    }
  }

  /** Runs what is due now without moving the time. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** How many runs are waiting (cancelled ones excluded). */
  public synchronized int pending() {
    return (int) queue.stream().filter(Job::live).count();
  }

  /** When the next waiting run falls due, if any. */
  public synchronized java.util.Optional<Instant> nextDue() {
    return queue.stream().filter(Job::live).map(j -> j.at).min(Instant::compareTo);
  }

  /** Every pause taken through {@link #sleep}, in order. */
  public synchronized List<Duration> slept() {
    return List.copyOf(slept);
  }

  private synchronized void cancel(Job job) {
    job.cancel();
  }

  private static final class Job implements Comparable<Job> {
    final Instant at;
    final long seq;
    final Runnable task;
    final Duration period;

    /** The first job of a periodic chain: cancelling its handle cancels every later run. */
    final Job origin;

    volatile boolean cancelled;

    Job(Instant at, long seq, Runnable task, Duration period) {
      this(at, seq, task, period, null);
    }

    Job(Instant at, long seq, Runnable task, Duration period, Job previous) {
      this.at = at;
      this.seq = seq;
      this.task = task;
      this.period = period;
      this.origin = previous == null ? this : previous.origin;
      this.cancelled = this.origin.cancelled;
    }

    void cancel() {
      cancelled = true;
    }

    boolean live() {
      return !cancelled && !origin.cancelled;
    }

    @Override
    public int compareTo(Job o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
