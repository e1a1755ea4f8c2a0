package dev.berth.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which terminals a starting Berth closes as cut by a stop, and how long they lasted. */
class LeftTerminalRulesTest {
  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  static final Duration GONE_AFTER = Duration.ofMinutes(5);

  @Test
  void aBerthClosesItsOwnTerminalsAtOnceEvenIfItWasSeenAMomentAgo() {
    assertThat(TerminalRules.leftBehind("a:8080", "a:8080", NOW.minusSeconds(1), NOW, GONE_AFTER))
        .isTrue();
  }

  @Test
  void terminalsOfAnotherBerthThatLivesAreLeftToIt() {
    assertThat(TerminalRules.leftBehind("b:8080", "a:8080", NOW.minus(GONE_AFTER), NOW, GONE_AFTER))
        .isFalse();
  }

  @Test
  void terminalsOfABerthGoneForLongOrNeverSeenAreClosed() {
    assertThat(
            TerminalRules.leftBehind(
                "b:8080", "a:8080", NOW.minus(GONE_AFTER).minusSeconds(1), NOW, GONE_AFTER))
        .isTrue();
    assertThat(TerminalRules.leftBehind("b:8080", "a:8080", null, NOW, GONE_AFTER)).isTrue();
  }

  @Test
  void aCutTerminalLastedUntilItsBerthsLastSignOfLifeOrAnUnknownTime() {
    Instant opened = NOW.minusSeconds(125);

    assertThat(TerminalRules.lastedUntil(opened, NOW)).contains(Duration.ofSeconds(125));
    assertThat(TerminalRules.lastedUntil(opened, null)).isEmpty();
    assertThat(TerminalRules.lastedUntil(opened, opened.minusSeconds(1))).isEmpty();
  }
}
