package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded retry with exponential back-off around one API call: 409, 429, 5xx and connection
 * failures are tried again up to {@code attempts} times; then, and on any other failure, a {@link
 * RuntimeFailure} saying what happened, so the caller's own back-off takes over. Never a hot loop.
 * The waits are the {@link Scheduler}'s, so tests with a {@code ManualScheduler} never wait.
 */
record Retry(int attempts, Duration base, Scheduler sleeper) {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  <T> T call(String what, Supplier<T> call) {
    Duration delay = base;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (RuntimeFailure e) {
        throw e;
      } catch (RuntimeException e) {
        if (attempt >= attempts || !Failures.retryable(e)) {
          throw new RuntimeFailure(what + ": " + Failures.describe(e), e);
        }
        LOG.info(
            "{} failed ({}); attempt {} of {} in {} ms",
            what,
            Failures.describe(e),
            attempt + 1,
            attempts,
            delay.toMillis());
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new RuntimeFailure(what + ": interrupted while backing off", ie);
        }
        delay = delay.multipliedBy(2);
      }
    }
  }

  void run(String what, Runnable call) {
    call(
        what,
        () -> {
          call.run();
          return null;
        });
  }
}
