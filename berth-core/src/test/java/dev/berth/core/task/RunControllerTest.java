package dev.berth.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.runtime.ExitReason;
import dev.berth.core.testing.CoreHarness;
import dev.berth.core.testing.FakeClusterRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Runs from queued to their end: timeouts, retries with back-off, kept failures, cancellation,
 * waiting callers.
 */
class RunControllerTest {
  final CoreHarness core = new CoreHarness();

  Run start(int timeoutSeconds, int retries, boolean keepOnFailure) {
    TaskSpec spec =
        new TaskSpec("registry.test/job:1", List.of("sh", "-c", "work"), null, null, null);
    Run run =
        core.taskService
            .create(
                new TaskRequest(
                    "job",
                    null,
                    null,
                    spec,
                    null,
                    null,
                    null,
                    null,
                    timeoutSeconds,
                    retries,
                    keepOnFailure,
                    null,
                    null),
                "alice")
            .run()
            .orElseThrow();
    core.settle();
    return run;
  }

  Run stored(String id) {
    return core.taskService.run(id);
  }

  @Test
  void aRunThatOutlivesItsTimeoutEndsTimedOutAndIsReclaimed() {
    start(60, 0, false);
    core.advance(Duration.ofSeconds(59));
    assertThat(stored("job-1").state()).isEqualTo(RunState.RUNNING);

    core.advance(Duration.ofSeconds(1));
    Run run = stored("job-1");
    assertThat(run.state()).isEqualTo(RunState.TIMED_OUT);
    assertThat(run.reclaimed()).isTrue();
    assertThat(core.finished).extracting(Run::id).containsExactly("job-1");
  }

  @Test
  void aFailedAttemptIsRetriedAfterItsBackOffUntilOneSucceeds() {
    start(3600, 2, false);
    core.local.runExits("job-1", 1, false);
    core.settle();
    assertThat(stored("job-1").state()).isEqualTo(RunState.RUNNING);
    assertThat(stored("job-1").message()).contains("retrying in 10s");

    core.advance(FakeClusterRuntime.RUN_BACKOFF);
    assertThat(stored("job-1").attempts()).isEqualTo(2);
    core.local.runExits("job-1", 1, false);
    core.advance(FakeClusterRuntime.RUN_BACKOFF);
    assertThat(stored("job-1").attempts()).as("the back-off doubles").isEqualTo(2);
    core.advance(FakeClusterRuntime.RUN_BACKOFF);
    assertThat(stored("job-1").attempts()).isEqualTo(3);

    core.local.runExits("job-1", 0, false);
    core.settle();
    Run run = stored("job-1");
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.exitCode()).isZero();
    assertThat(core.finished).hasSize(1);
  }

  @Test
  void aRunOutOfRetriesFailsWithTheLastExitAndItsReason() {
    start(3600, 0, false);
    core.local.runExits("job-1", 0, true);
    core.settle();
    Run run = stored("job-1");
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.reason()).isEqualTo(ExitReason.OOM.toString());
    assertThat(run.reclaimed()).isTrue();
  }

  @Test
  void keepsFailedRunWhenAskedTo() {
    start(3600, 0, true);
    core.local.runExits("job-1", 2, false);
    core.settle();
    Run run = stored("job-1");
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.reclaimed()).as("kept for debugging").isFalse();
  }

  @Test
  void cancellingARunningRunStopsItAndEndsItCancelled() {
    start(3600, 0, false);
    core.taskService.cancel("job-1", "bob");
    core.settle();
    Run run = stored("job-1");
    assertThat(core.local.stoppedRuns()).containsExactly("job-1");
    assertThat(run.state()).isEqualTo(RunState.CANCELLED);
    assertThat(core.finished).extracting(Run::id).containsExactly("job-1");
  }

  @Test
  void aRunWhoseClusterIsGoneIsRetriedWithBackOffAndCancellingItEndsItAtOnce() {
    core.clusters.remove("local");
    core.tasks.create(
        new Task(
            "job",
            "default",
            "alice",
            "local",
            new TaskSpec("registry.test/job:1", null, null, null, null),
            Trigger.now(),
            RunMode.ASYNC,
            null,
            null,
            60,
            0,
            false,
            ConcurrencyPolicy.ALLOW,
            1,
            core.time.instant(),
            core.time.instant()));
    Run run = core.tasks.createRun("job", "local", null, core.time.instant()).orElseThrow();
    core.runController.dispatch(run.id());
    core.settle();
    assertThat(core.events.warnings()).containsExactly("ReconcileFailed");

    core.taskService.cancel(run.id(), "bob");
    assertThat(stored(run.id()).state()).isEqualTo(RunState.CANCELLED);
    core.clusters.add(core.local);
    core.advance(Duration.ofMinutes(2));
    assertThat(core.local.startedRuns()).as("a cancelled run never starts").isEmpty();
  }

  @Test
  void aRunTheRuntimeNoLongerKnowsAfterARestartEndsFailedWithTheReason() {
    start(3600, 0, false);
    FakeClusterRuntime afterRestart = new FakeClusterRuntime("local", core.time);
    core.clusters.add(afterRestart);
    core.runController.dispatch("job-1");
    core.settle();
    Run run = stored("job-1");
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.message()).startsWith("lost: the runtime no longer knows this run");
  }

  @Test
  void aWaitingCallerGetsTheRunWhenItEndsOrWhenItsWaitIsOver() throws Exception {
    start(3600, 0, false);
    int before = core.time.pending();
    CompletableFuture<Run> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return core.runController.awaitEnd("job-1", Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> core.time.pending() > before);
    core.time.advance(Duration.ofSeconds(30));
    assertThat(waiting.get().state())
        .as("the wait is over, the run goes on")
        .isEqualTo(RunState.RUNNING);

    CompletableFuture<Run> second =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return core.runController.awaitEnd("job-1", Duration.ofHours(1));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> core.time.pending() > before);
    core.local.runExits("job-1", 0, false);
    core.settle();
    assertThat(second.get().state()).isEqualTo(RunState.SUCCEEDED);
  }
}
