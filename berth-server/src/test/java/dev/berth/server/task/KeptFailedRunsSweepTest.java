package dev.berth.server.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.task.Run;
import dev.berth.core.task.RunState;
import dev.berth.core.task.TaskRequest;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.testing.CoreHarness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A failed run kept for debugging ({@code keepOnFailure}) keeps its container until {@code
 * berth.tasks.keep-failed-for} has passed since it ended; the next sweep after that reclaims it,
 * and the run shows as reclaimed. Time is moved, not waited for.
 */
class KeptFailedRunsSweepTest {
  final CoreHarness core = new CoreHarness();
  final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return core.time.instant();
        }

        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }
      };
  final TaskProperties properties =
      new TaskProperties(
          Duration.ofDays(2),
          Duration.ofDays(30),
          1_000_000,
          Duration.ofSeconds(1),
          Duration.ofMillis(250));
  final TaskLifecycle lifecycle =
      new TaskLifecycle(
          core.tasks, core.runController, null, core.clusters, properties, clock, null, core.time);

  @Test
  void aKeptFailedRunIsReclaimedByTheFirstSweepAfterKeepFailedForAndNotBefore() {
    core.taskService.create(
        new TaskRequest(
            "broken",
            null,
            null,
            new TaskSpec("registry.test/broken:1", List.of("false"), null, null, null),
            null,
            null,
            null,
            null,
            null,
            null,
            true,
            null,
            null),
        "admin");
    core.settle();
    core.local.runExits("broken-1", 1, false);
    core.settle();
    assertThat(run().state()).isEqualTo(RunState.FAILED);
    assertThat(run().reclaimed()).as("kept for debugging").isFalse();

    core.advance(Duration.ofDays(2).minusMinutes(1));
    lifecycle.sweep();
    core.settle();
    assertThat(run().reclaimed()).as("still within keep-failed-for").isFalse();
    assertThat(core.local.run("broken-1").orElseThrow().reclaimed()).isFalse();

    core.advance(Duration.ofMinutes(2));
    lifecycle.sweep();
    core.settle();
    assertThat(core.local.run("broken-1").orElseThrow().reclaimed())
        .as("the runtime reclaimed its container")
        .isTrue();
    assertThat(run().reclaimed()).as("the run shows as reclaimed").isTrue();
    assertThat(run().state()).as("still failed").isEqualTo(RunState.FAILED);
  }

  private Run run() {
    return core.tasks.findRun("broken-1").orElseThrow();
  }
}
