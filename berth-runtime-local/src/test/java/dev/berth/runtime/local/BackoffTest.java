package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  final Backoff backoff =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));

  @Test
  void doublesFromOneSecondUpToTheCap() {
    assertThat(backoff.delay(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.delay(1000)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void forgetsFailuresAfterTenMinutesUp() {
    assertThat(backoff.indexAfterRun(5, Duration.ofMinutes(9))).isEqualTo(5);
    assertThat(backoff.indexAfterRun(5, Duration.ofMinutes(10))).isZero();
  }

  @Test
  void cpusetsGoToTheLeastUsedCpus() {
    Cpusets c = new Cpusets(Cpusets.parse("0-1,3"));
    assertThat(c.allocate("a-0", 1)).isEqualTo("0");
    assertThat(c.allocate("b-0", 0.5)).isEqualTo("1");
    assertThat(c.allocate("c-0", 2)).isEqualTo("0,3");
    assertThat(c.allocate("a-0", 1)).isEqualTo("0");
    assertThat(c.allocate("d-0", 8)).isEqualTo("0,1,3");
    c.release("d-0");
    c.release("c-0");
    assertThat(c.allocate("e-0", 1)).isEqualTo("3");
  }
}
