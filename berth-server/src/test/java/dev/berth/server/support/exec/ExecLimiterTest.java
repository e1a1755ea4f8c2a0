package dev.berth.server.support.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How many commands run at once, per user and in one Berth. */
class ExecLimiterTest {
  private final ExecLimiter limiter = new ExecLimiter(new ExecLimitProperties(3, 2).execs());

  @Test
  void aUserAtTheirBoundIsRefusedNamingTheSettingUntilOneOfTheirCommandsEnds() {
    ExecLimiter.Permit first = limiter.acquire("alice");
    limiter.acquire("alice");

    assertThatThrownBy(() -> limiter.acquire("alice"))
        .isInstanceOf(TooManyExecsException.class)
        .hasMessageContaining("execs of alice running now: 2")
        .hasMessageContaining("berth.exec.max-per-user=2");
    assertThat(limiter.acquire("bob")).isNotNull();

    first.close();
    assertThat(limiter.acquire("alice")).isNotNull();
  }

  @Test
  void theBerthAtItsBoundRefusesEveryoneNamingTheSetting() {
    limiter.acquire("alice");
    limiter.acquire("bob");
    ExecLimiter.Permit carol = limiter.acquire("carol");

    assertThatThrownBy(() -> limiter.acquire("dave"))
        .isInstanceOf(TooManyExecsException.class)
        .hasMessageContaining("execs running now in this Berth: 3")
        .hasMessageContaining("berth.exec.max-concurrent=3");

    carol.close();
    assertThat(limiter.acquire("dave")).isNotNull();
    assertThat(limiter.running(null)).isEqualTo(3);
  }

  @Test
  void closingAPermitTwiceGivesItsPlaceBackOnce() {
    ExecLimiter.Permit p = limiter.acquire("alice");
    limiter.acquire("alice");
    p.close();
    p.close();

    assertThat(limiter.running("alice")).isEqualTo(1);
    assertThat(limiter.running(null)).isEqualTo(1);
  }

  @Test
  void aRefusedCommandTakesNoPlace() {
    limiter.acquire("alice");
    limiter.acquire("alice");
    assertThatThrownBy(() -> limiter.acquire("alice")).isInstanceOf(TooManyExecsException.class);

    assertThat(limiter.running("alice")).isEqualTo(2);
    assertThat(limiter.running(null)).isEqualTo(2);
  }

  @Test
  void terminalsAreBoundPerUserOnly() {
    ExecLimiter.Limits terminals = new ExecLimitProperties(3, 2).terminals();

    assertThat(ExecLimiter.refusal(terminals, "alice", 1, 500)).isEmpty();
    assertThat(ExecLimiter.refusal(terminals, "alice", 2, 2))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("terminals of alice running now: 2")
                    .contains("berth.exec.max-per-user"));
  }

  @Test
  void boundsBelowOneAreRefusedAtStart() {
    assertThatThrownBy(() -> new ExecLimitProperties(0, 2).execs())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("berth.exec.max-concurrent");
  }
}
