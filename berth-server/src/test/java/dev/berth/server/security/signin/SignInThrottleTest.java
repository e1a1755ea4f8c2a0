package dev.berth.server.security.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
  static final Instant START = Instant.parse("2026-05-01T08:00:00Z");
  final MutableClock clock = new MutableClock(START);
  final SignInThrottle throttle =
      new SignInThrottle(
          new SignInThrottle.Policy(3, Duration.ofMinutes(15), Duration.ofMinutes(10)), clock, 100);

  @Test
  void locksAKeyWhenItReachesTheLimitWithinTheWindow() {
    assertThat(throttle.fail("alice")).isEmpty();
    assertThat(throttle.fail("alice")).isEmpty();

    assertThat(throttle.fail("alice")).contains(START.plus(Duration.ofMinutes(10)));
    assertThat(throttle.lockedUntil("alice")).contains(START.plus(Duration.ofMinutes(10)));
    assertThat(throttle.lockedUntil("bob")).isEmpty();
  }

  @Test
  void forgetsFailuresOlderThanTheWindow() {
    throttle.fail("alice");
    throttle.fail("alice");
    clock.advance(Duration.ofMinutes(16));

    assertThat(throttle.fail("alice")).isEmpty();
    assertThat(throttle.lockedUntil("alice")).isEmpty();
  }

  @Test
  void liftsTheLockWhenTheLockOutIsOverAndCountsAfresh() {
    for (int i = 0; i < 3; i++) {
      throttle.fail("alice");
    }
    clock.advance(Duration.ofMinutes(10).minusSeconds(1));
    assertThat(throttle.lockedUntil("alice")).isPresent();
    assertThat(throttle.fail("alice"))
        .as("failures while locked do not extend the lock")
        .contains(START.plus(Duration.ofMinutes(10)));

    clock.advance(Duration.ofSeconds(1));

    assertThat(throttle.lockedUntil("alice")).isEmpty();
    assertThat(throttle.fail("alice")).isEmpty();
  }

  @Test
  void forgetsAKeyOnReset() {
    throttle.fail("alice");
    throttle.fail("alice");

    throttle.reset("alice");

    assertThat(throttle.fail("alice")).isEmpty();
    assertThat(throttle.fail("alice")).isEmpty();
  }

  @Test
  void makesRoomFromAgedKeysAndKeepsLocksWhenFull() {
    SignInThrottle small =
        new SignInThrottle(
            new SignInThrottle.Policy(1, Duration.ofMinutes(15), Duration.ofMinutes(10)), clock, 2);
    small.fail("a");
    small.fail("b");

    assertThat(small.fail("c")).as("full of live locks: a new key is not tracked").isEmpty();
    assertThat(small.lockedUntil("a")).isPresent();
    clock.advance(Duration.ofMinutes(20));
    assertThat(small.fail("c")).isPresent();
    assertThat(small.size()).isEqualTo(1);
  }

  @Test
  void refusesAPolicyThatCouldNeverLockOrUnlock() {
    assertThatThrownBy(
            () -> new SignInThrottle.Policy(0, Duration.ofMinutes(1), Duration.ofMinutes(1)))
        .hasMessage("max failures must be >= 1, was 0");
    assertThatThrownBy(() -> new SignInThrottle.Policy(5, Duration.ZERO, Duration.ofMinutes(1)))
        .hasMessageContaining("must be positive");
  }
}
