package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.task.RunState;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run state machine on a fake container lifecycle; time moves by hand, nothing needs root. */
class RunSupervisorTest {
  static final Duration MS = Duration.ofMillis(1);

  @TempDir Path dir;
  final ManualScheduler time = new ManualScheduler();
  final FakeLifecycle life = new FakeLifecycle();
  final Recorder<RunStatus> seen = new Recorder<>();
  RunSupervisor run;

  RunSupervisor start(Duration timeout, int retries, boolean keepOnFailure) throws Exception {
    Backoff backoff =
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));
    SupervisorParts parts =
        new SupervisorParts(
            life,
            time,
            backoff,
            Prober.Factory.NONE,
            dir,
            Duration.ofDays(7),
            "node",
            "10.0.0.1",
            n -> Mailbox.INLINE);
    TaskSpec spec = new TaskSpec("busybox:1", List.of("true"), List.of(), Map.of(), null);
    run =
        new RunSupervisor(
            parts,
            new RunWorkload(
                "r1", "job", spec, timeout, Duration.ofSeconds(2), retries, keepOnFailure),
            seen);
    run.persistQueued();
    run.send(new RunSupervisor.Start());
    return run;
  }

  RunStatus now() {
    return run.snapshot();
  }

  @Test
  void aSuccessfulRunEndsSucceededAndIsReleased() throws Exception {
    start(null, 0, false);
    assertThat(now().state()).isEqualTo(RunState.RUNNING);
    life.exit(0);
    assertThat(now().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(now().reclaimed()).isTrue();
    assertThat(life.releases).isEqualTo(1);
    assertThat(seen.reasons()).containsExactly("Started", "Succeeded", "Reclaimed");
    assertThat(RunRecord.read(run.dirs().runRecord()).state())
        .as("persisted")
        .isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void failedAttemptsAreRetriedWithDoublingBackOffUntilRetriesRunOut() throws Exception {
    start(null, 2, false);
    life.exit(1);
    assertThat(now().state()).isEqualTo(RunState.STARTING);
    assertThat(now().message()).endsWith("retrying in 1s");
    time.advance(Duration.ofSeconds(1).minus(MS));
    assertThat(life.starts).isEqualTo(1);
    time.advance(MS);
    assertThat(life.starts).isEqualTo(2);
    life.exit(1);
    assertThat(now().message()).endsWith("retrying in 2s");
    time.advance(Duration.ofSeconds(2));
    assertThat(life.starts).isEqualTo(3);
    life.exit(1);
    assertThat(now().state()).isEqualTo(RunState.FAILED);
    assertThat(now().attempts()).isEqualTo(3);
    assertThat(now().reclaimed()).isTrue();
    assertThat(seen.reasons())
        .containsSubsequence("AttemptFailed", "AttemptFailed", "Failed", "Reclaimed");
  }

  @Test
  void theTimeoutStopsTheRunningContainerAndEndsTheRunTimedOut() throws Exception {
    start(Duration.ofSeconds(30), 0, false);
    time.advance(Duration.ofSeconds(30).minus(MS));
    assertThat(now().state()).isEqualTo(RunState.RUNNING);
    time.advance(MS);
    assertThat(life.calls).contains("stop");
    assertThat(now().state()).isEqualTo(RunState.TIMED_OUT);
    assertThat(now().lastExit().code()).isEqualTo(143);
    assertThat(now().reclaimed()).isTrue();
  }

  @Test
  void theTimeoutCountsOverAllAttemptsAndNoRetryStartsAfterIt() throws Exception {
    start(Duration.ofSeconds(3), 10, false);
    life.exit(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(life.starts).isEqualTo(2);
    time.advance(Duration.ofSeconds(1));
    life.exit(1); // the next retry would come at 4 s, after the deadline
    time.advance(Duration.ofMinutes(1));
    assertThat(now().state()).isEqualTo(RunState.TIMED_OUT);
    assertThat(life.starts).isEqualTo(2);
  }

  @Test
  void aFailedRunWithKeepOnFailureKeepsItsContainerStateUntilReclaimed() throws Exception {
    start(null, 0, true);
    life.exit(3);
    assertThat(now().state()).isEqualTo(RunState.FAILED);
    assertThat(now().reclaimed()).isFalse();
    assertThat(life.releases).isZero();
    assertThat(now().message()).contains("kept for debugging");
    assertThat(run.exec(List.of("cat", "/out"), Duration.ofSeconds(5)).output()).isEqualTo("kept");
    run.send(new RunSupervisor.Reclaim());
    assertThat(now().reclaimed()).isTrue();
    assertThat(life.releases).isEqualTo(1);
  }

  @Test
  void cancellingDuringBackOffEndsTheRunWithoutAnotherAttempt() throws Exception {
    start(null, 3, false);
    life.exit(1);
    run.send(new RunSupervisor.Stop(null));
    assertThat(now().state()).isEqualTo(RunState.CANCELLED);
    time.advance(Duration.ofMinutes(1));
    assertThat(life.starts).isEqualTo(1);
  }

  @Test
  void aStartThatFailsIsAFailedAttemptAndIsRetried() throws Exception {
    life.failStarts(1, new RuntimeFailure("mount -t overlay failed (exit 32)"));
    start(null, 1, false);
    assertThat(now().state()).isEqualTo(RunState.STARTING);
    assertThat(seen.last("AttemptFailed").message()).contains("mount -t overlay failed");
    time.advance(Duration.ofSeconds(1));
    life.exit(0);
    assertThat(now().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(now().attempts()).isEqualTo(2);
  }
}
