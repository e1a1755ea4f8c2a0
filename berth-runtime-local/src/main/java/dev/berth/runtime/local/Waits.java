package dev.berth.runtime.local;

import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Blocking waits bounded by the injected {@link Scheduler}'s time, never by sleeping. */
final class Waits {
  private Waits() {}

  /**
   * Waits until {@code future} completes or {@code timeout} of the scheduler's time has passed.
   *
   * @return the value; empty on timeout, interruption (the flag is kept) or when the future failed
   */
  static <T> Optional<T> await(CompletableFuture<T> future, Duration timeout, Scheduler scheduler) {
    if (!future.isDone()) {
      CompletableFuture<Void> timer = new CompletableFuture<>();
      Scheduler.Cancellable alarm = scheduler.schedule(timeout, () -> timer.complete(null));
      try {
        CompletableFuture.anyOf(future, timer).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      } catch (ExecutionException ignored) {
        // the future failed: handled below
      } finally {
        alarm.cancel();
      }
    }
    if (!future.isDone() || future.isCompletedExceptionally()) {
      return Optional.empty();
    }
    return Optional.ofNullable(future.getNow(null));
  }
}
