package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WatchOutcomeTest {
  @Test
  void eachWayAReleaseStopsHasItsOwnExitCode() {
    assertThat(WatchOutcome.exitCode("succeeded", null)).hasValue(0);
    assertThat(WatchOutcome.exitCode("paused", "AwaitingPromotion")).hasValue(10);
    assertThat(WatchOutcome.exitCode("paused", "PausedByHand")).hasValue(11);
    assertThat(WatchOutcome.exitCode("aborted", null)).hasValue(20);
    assertThat(WatchOutcome.exitCode("failed", "CrashLoopBackOff")).hasValue(30);
    assertThat(WatchOutcome.exitCode("superseded", null)).hasValue(40);
  }

  @Test
  void aBatchThatStoppedTheReleaseIsAFailureNotAPauseForApproval() {
    for (String reason :
        new String[] {"CrashLoopBackOff", "FailedToStart", "NotReady", "DeadlineExceeded"}) {
      assertThat(WatchOutcome.exitCode("paused", reason)).as(reason).hasValue(30);
    }
  }

  @Test
  void aMovingReleaseKeepsTheWatchGoing() {
    assertThat(WatchOutcome.exitCode("progressing", null)).isEmpty();
  }
}
