package dev.berth.runtime.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a run does after an attempt ends, as a pure function of its workload settings, the attempts
 * so far and the time: succeed, retry after back-off, fail, or time out (the timeout counts from
 * the first start over all attempts, so no retry starts after it).
 *
 * @param retries how many failed attempts are retried (attempts = retries + 1 at most)
 * @param timeout the time limit over all attempts, null for none
 */
record RunPolicy(int retries, Duration timeout, Backoff backoff) {
  RunPolicy {
    retries = Math.max(0, retries);
    timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? null : timeout;
  }

  sealed interface Next {}

  record Succeed() implements Next {}

  record RetryAfter(Duration delay) implements Next {}

  record Fail() implements Next {}

  record TimeOut() implements Next {}

  /** The decision after attempt number {@code attempts} (1-based) ended, successfully or not. */
  Next afterAttempt(int attempts, boolean succeeded, Instant firstStart, Instant now) {
    if (succeeded) {
      return new Succeed();
    }
    if (deadlinePassed(firstStart, now)) {
      return new TimeOut();
    }
    if (attempts > retries) {
      return new Fail();
    }
    return new RetryAfter(backoff.delay(attempts - 1));
  }

  /** When the run must end, if it has a timeout. */
  Optional<Instant> deadline(Instant firstStart) {
    return timeout == null || firstStart == null
        ? Optional.empty()
        : Optional.of(firstStart.plus(timeout));
  }

  boolean deadlinePassed(Instant firstStart, Instant now) {
    return deadline(firstStart).map(d -> !now.isBefore(d)).orElse(false);
  }
}
