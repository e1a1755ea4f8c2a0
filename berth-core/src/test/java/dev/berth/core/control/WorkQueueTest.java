package dev.berth.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.time.ManualScheduler;
import dev.berth.core.time.SystemScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  final ManualScheduler time = new ManualScheduler();

  @Test
  void neverReconcilesOneKeyTwiceAtOnceAndRunsAgainWhenEnqueuedMeanwhile() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    try (SystemScheduler threads = new SystemScheduler("test");
        WorkQueue q =
            new WorkQueue(
                "t",
                key -> {
                  maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                  try {
                    if (runs.incrementAndGet() == 1) {
                      release.await(5, TimeUnit.SECONDS);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  running.decrementAndGet();
                  return Result.DONE;
                },
                4,
                (k, r) -> {},
                threads)) {
      q.enqueue("a");
      await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 1);
      for (int i = 0; i < 10; i++) {
        q.enqueue("a");
      }
      release.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> q.size() == 0);
      assertThat(runs.get()).isEqualTo(2);
      assertThat(maxRunning.get()).isEqualTo(1);
    }
  }

  @Test
  void aKeyEnqueuedByItsOwnPassRunsOnceMoreAfterIt() {
    List<String> passes = new ArrayList<>();
    WorkQueue[] q = new WorkQueue[1];
    q[0] =
        new WorkQueue(
            "t",
            key -> {
              passes.add(key);
              if (passes.size() == 1) {
                q[0].enqueue(key);
                q[0].enqueue(key);
              }
              return Result.DONE;
            },
            1,
            (k, r) -> {},
            time);
    q[0].enqueue("a");
    q[0].enqueue("a");
    assertThat(passes).as("nothing runs before the scheduler does").isEmpty();

    time.runDue();

    assertThat(passes).containsExactly("a", "a");
    assertThat(q[0].size()).isZero();
  }

  @Test
  void retriesAFailingKeyWithGrowingBackOffAndReportsEachFailure() {
    List<String> failures = new ArrayList<>();
    List<java.time.Instant> attempts = new ArrayList<>();
    WorkQueue q =
        new WorkQueue(
            "t",
            key -> {
              attempts.add(time.instant());
              if (attempts.size() <= 2) {
                throw new IllegalStateException("runc exploded");
              }
              return Result.DONE;
            },
            1,
            (k, r) -> failures.add(k + ": " + r),
            time);
    java.time.Instant start = time.instant();
    q.enqueue("a");
    time.runDue();
    assertThat(failures).containsExactly("a: runc exploded; retrying in 1s");

    time.advance(Duration.ofMillis(999));
    assertThat(attempts).hasSize(1);
    time.advance(Duration.ofMillis(1));
    assertThat(failures)
        .containsExactly("a: runc exploded; retrying in 1s", "a: runc exploded; retrying in 2s");
    time.advance(Duration.ofSeconds(2));

    assertThat(attempts).containsExactly(start, start.plusSeconds(1), start.plusSeconds(3));
    assertThat(q.size()).isZero();
  }

  @Test
  void requeuesAfterTheDelayAPassAskedFor() {
    AtomicInteger passes = new AtomicInteger();
    WorkQueue q =
        new WorkQueue(
            "t",
            key ->
                passes.incrementAndGet() == 1
                    ? Result.requeueAfter(Duration.ofSeconds(30))
                    : Result.DONE,
            1,
            (k, r) -> {},
            time);
    q.enqueue("a");
    time.runDue();
    time.advance(Duration.ofSeconds(29));
    assertThat(passes).hasValue(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(passes).hasValue(2);
  }

  @Test
  void aClosedQueueStartsNothingMore() {
    AtomicInteger passes = new AtomicInteger();
    WorkQueue q =
        new WorkQueue(
            "t",
            key -> {
              passes.incrementAndGet();
              return Result.requeueAfter(Duration.ofSeconds(1));
            },
            1,
            (k, r) -> {},
            time);
    q.enqueue("a");
    time.runDue();
    q.close();
    time.advance(Duration.ofMinutes(1));
    assertThat(passes).hasValue(1);
  }

  @Test
  void backOffDoublesUpToAMinute() {
    assertThat(WorkQueue.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(WorkQueue.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(WorkQueue.backoff(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(WorkQueue.backoff(30)).isEqualTo(Duration.ofSeconds(60));
  }
}
