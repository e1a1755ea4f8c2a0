package dev.berth.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

  @Test
  void runsDelayedWorkOnlyWhenTimeReachesIt() {
    ManualScheduler s = new ManualScheduler();
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofSeconds(5), () -> ran.add("a"));
    s.advance(Duration.ofSeconds(4));
    assertThat(ran).isEmpty();
    s.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("a");
  }

  @Test
  void periodicWorkRepeatsUntilCancelledAndCancellingStopsEveryLaterRun() {
    ManualScheduler s = new ManualScheduler();
    List<java.time.Instant> ran = new ArrayList<>();
    var handle =
        s.scheduleWithFixedDelay(Duration.ZERO, Duration.ofSeconds(10), () -> ran.add(s.instant()));
    s.advance(Duration.ofSeconds(25));
    assertThat(ran).hasSize(3);
    handle.cancel();
    s.advance(Duration.ofMinutes(5));
    assertThat(ran).hasSize(3);
    assertThat(s.pending()).isZero();
  }

  @Test
  void sleepMovesTimeAndRunsWhatFellDue() {
    ManualScheduler s = new ManualScheduler();
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofMillis(300), () -> ran.add("timer"));
    var before = s.instant();
    s.sleep(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("timer");
    assertThat(Duration.between(before, s.instant())).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.slept()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void cancelledOneShotNeverRuns() {
    ManualScheduler s = new ManualScheduler();
    List<String> ran = new ArrayList<>();
    s.schedule(Duration.ofSeconds(1), () -> ran.add("x")).cancel();
    s.advance(Duration.ofSeconds(2));
    assertThat(ran).isEmpty();
  }
}
