package dev.berth.server.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.time.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FireTimerTest {
  final ManualScheduler time = new ManualScheduler(Instant.parse("2026-03-01T10:00:00Z"));
  final List<Instant> checks = new ArrayList<>();
  final FireTimer timer = new FireTimer(time, () -> checks.add(time.instant()));

  @Test
  void asksForDueExecutionsExactlyAtTheFireTime() {
    Instant fire = time.instant().plusSeconds(60);
    timer.arm("report", fire);

    time.advance(Duration.ofSeconds(59).plusMillis(999));
    assertThat(checks).isEmpty();
    time.advance(Duration.ofMillis(1));
    assertThat(checks).containsExactly(fire);
    assertThat(timer.armed()).isZero();
  }

  @Test
  void reArmingMovesTheTimerAndDisarmingStopsIt() {
    timer.arm("report", time.instant().plusSeconds(60));
    timer.arm("report", time.instant().plusSeconds(30));
    timer.arm("cleanup", time.instant().plusSeconds(45));
    timer.disarm("cleanup");

    time.advance(Duration.ofMinutes(5));
    assertThat(checks).containsExactly(Instant.parse("2026-03-01T10:00:30Z"));
  }

  @Test
  void aFireTimeAlreadyPastIsCheckedAtOnce() {
    timer.arm("late", time.instant().minusSeconds(5));
    time.runDue();
    assertThat(checks).containsExactly(time.instant());
  }
}
