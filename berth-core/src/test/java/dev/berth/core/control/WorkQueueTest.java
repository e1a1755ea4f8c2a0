package dev.berth.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  @Test
  void neverReconcilesOneKeyTwiceAtOnceAndRunsAgainWhenEnqueuedMeanwhile() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    try (WorkQueue q =
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
            (k, r) -> {})) {
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
  void retriesAFailingKeyAndReportsEachFailure() {
    AtomicInteger attempts = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    try (WorkQueue q =
        new WorkQueue(
            "t",
            key -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("runc exploded");
              }
              return Result.DONE;
            },
            1,
            (k, r) -> failures.add(k + ": " + r))) {
      q.enqueue("a");
      await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 2);
      assertThat(failures).containsExactly("a: runc exploded; retrying in 1s");
    }
  }

  @Test
  void backOffDoublesUpToAMinute() {
    assertThat(WorkQueue.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(WorkQueue.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(WorkQueue.backoff(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(WorkQueue.backoff(30)).isEqualTo(Duration.ofSeconds(60));
  }
}
