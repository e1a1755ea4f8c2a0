package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunPolicyTest {
  static final Backoff BACKOFF =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Backoff.RESET_AFTER);
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void retriesWithDoublingBackoffUntilRetriesAreUsedUp() {
    RunPolicy p = new RunPolicy(3, null, BACKOFF);
    assertThat(p.afterAttempt(1, false, T0, T0))
        .isEqualTo(new RunPolicy.RetryAfter(Duration.ofSeconds(1)));
    assertThat(p.afterAttempt(2, false, T0, T0))
        .isEqualTo(new RunPolicy.RetryAfter(Duration.ofSeconds(2)));
    assertThat(p.afterAttempt(3, false, T0, T0))
        .isEqualTo(new RunPolicy.RetryAfter(Duration.ofSeconds(4)));
    assertThat(p.afterAttempt(4, false, T0, T0)).isEqualTo(new RunPolicy.Fail());
  }

  @Test
  void capsTheBackoffAtOneMinute() {
    RunPolicy p = new RunPolicy(20, null, BACKOFF);
    assertThat(p.afterAttempt(10, false, T0, T0))
        .isEqualTo(new RunPolicy.RetryAfter(Duration.ofSeconds(60)));
  }

  @Test
  void succeedsWhateverTheClockSays() {
    RunPolicy p = new RunPolicy(0, Duration.ofSeconds(5), BACKOFF);
    assertThat(p.afterAttempt(1, true, T0, T0.plusSeconds(60))).isEqualTo(new RunPolicy.Succeed());
  }

  @Test
  void timesOutInsteadOfRetryingOnceTheTimeoutOverAllAttemptsPassed() {
    RunPolicy p = new RunPolicy(5, Duration.ofSeconds(10), BACKOFF);
    assertThat(p.afterAttempt(2, false, T0, T0.plusSeconds(9)))
        .isInstanceOf(RunPolicy.RetryAfter.class);
    assertThat(p.afterAttempt(2, false, T0, T0.plusSeconds(10))).isEqualTo(new RunPolicy.TimeOut());
    assertThat(p.deadline(T0)).contains(T0.plusSeconds(10));
  }

  @Test
  void zeroOrMissingTimeoutMeansNone() {
    assertThat(new RunPolicy(0, Duration.ZERO, BACKOFF).deadline(T0)).isEmpty();
    assertThat(new RunPolicy(0, null, BACKOFF).deadlinePassed(T0, T0.plusSeconds(86_400)))
        .isFalse();
    assertThat(new RunPolicy(-1, null, BACKOFF).retries()).isZero();
  }
}
