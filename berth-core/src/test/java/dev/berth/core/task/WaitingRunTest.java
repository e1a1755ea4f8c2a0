package dev.berth.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.app.QosClass;
import dev.berth.core.metrics.MetricNames;
import dev.berth.core.support.ValidationException;
import dev.berth.core.testing.CoreHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs of offline tasks: they wait for their window or an idle node, saying why, then start as best
 * effort; their timeout counts from the start; they can be cancelled while waiting.
 */
class WaitingRunTest {
  // The harness's clock starts at 2026-01-01T00:00:00Z, a Thursday.
  final CoreHarness core = new CoreHarness();

  TaskRequest request(String name, Placement placement, Integer timeout) {
    return new TaskRequest(
        name,
        null,
        null,
        new TaskSpec("registry.test/job:1", List.of("work"), null, null, null, placement),
        null,
        null,
        null,
        null,
        timeout,
        null,
        null,
        null,
        null);
  }

  Run create(String name, Placement placement, Integer timeout) {
    Run run =
        core.taskService.create(request(name, placement, timeout), "alice").run().orElseThrow();
    core.settle();
    return core.taskService.run(run.id());
  }

  List<String> reasons(String runId) {
    return core.events.reasons("run/" + runId);
  }

  void cpu(double usedCores) {
    Map<String, String> labels = Map.of(MetricNames.CLUSTER, "local", MetricNames.NODE, "n1");
    core.metrics.record(MetricNames.NODE_CPUS, labels, 4, core.time.instant());
    core.metrics.record(MetricNames.NODE_CPU_USAGE, labels, usedCores, core.time.instant());
  }

  @Test
  void aRunWaitsForItsWindowSayingWhenItOpensThenStartsAsBestEffort() {
    Run run =
        create(
            "nightly",
            new Placement(Placement.Kind.OFFLINE, "01:00-06:00", "Asia/Shanghai", null),
            600);
    // 00:00 UTC is 08:00 in Shanghai: the window opens at 17:00 UTC.
    assertThat(run.state()).isEqualTo(RunState.WAITING);
    assertThat(run.message())
        .isEqualTo("waiting for window 01:00-06:00 Asia/Shanghai, opens at 2026-01-02T01:00+08:00");
    assertThat(core.local.startedRuns()).isEmpty();
    assertThat(reasons(run.id())).containsExactly("Waiting");

    core.advance(Duration.ofHours(16).plusMinutes(59));
    assertThat(core.taskService.run(run.id()).state()).isEqualTo(RunState.WAITING);
    assertThat(core.local.startedRuns()).isEmpty();

    core.advance(Duration.ofMinutes(1));
    Run started = core.taskService.run(run.id());
    assertThat(started.state()).isEqualTo(RunState.RUNNING);
    assertThat(started.startedAt()).isEqualTo(Instant.parse("2026-01-01T17:00:00Z"));
    assertThat(core.local.startedRuns().get(run.id()).spec().resources().qos())
        .isEqualTo(QosClass.BEST_EFFORT);
    assertThat(reasons(run.id())).containsSubsequence("Waiting", "StartedAfterWaiting");
  }

  @Test
  void aWaitingRunsTimeoutCountsFromItsStartNotFromItsWait() {
    Run run = create("short", new Placement(null, "02:00-03:00", null, null), 60);
    core.advance(Duration.ofHours(2));
    assertThat(core.taskService.run(run.id()).state()).isEqualTo(RunState.RUNNING);
    core.advance(Duration.ofSeconds(59));
    assertThat(core.taskService.run(run.id()).state()).isEqualTo(RunState.RUNNING);
    core.advance(Duration.ofSeconds(1));
    assertThat(core.taskService.run(run.id()).state()).isEqualTo(RunState.TIMED_OUT);
  }

  @Test
  void aRunWaitsForAnIdleNodeAndStartsWhenCpuDropsBelowTheThreshold() {
    Run run = create("idle", new Placement(Placement.Kind.OFFLINE, null, null, 30), null);
    assertThat(run.state()).isEqualTo(RunState.WAITING);
    assertThat(run.message()).startsWith("waiting for node CPU below 30 %, but node CPU is not");

    cpu(2.88);
    core.advance(StartGate.IDLE_RECHECK);
    assertThat(core.taskService.run(run.id()).message())
        .isEqualTo("waiting for node CPU below 30 %, now 72 %");
    assertThat(core.local.startedRuns()).isEmpty();

    cpu(0.4);
    core.advance(StartGate.IDLE_RECHECK);
    assertThat(core.taskService.run(run.id()).state()).isEqualTo(RunState.RUNNING);
    assertThat(reasons(run.id())).containsOnlyOnce("Waiting");
  }

  @Test
  void aWaitingRunKeepsWaitingWhileMetricsAreDown() {
    cpu(0.1);
    core.metrics.down = true;
    Run run = create("blind", new Placement(null, null, null, 50), null);
    assertThat(run.state()).isEqualTo(RunState.WAITING);
    assertThat(run.message()).contains("node CPU is not measured");
    core.advance(StartGate.IDLE_RECHECK.multipliedBy(3));
    assertThat(core.local.startedRuns()).isEmpty();

    core.metrics.down = false;
    core.advance(StartGate.IDLE_RECHECK);
    assertThat(core.taskService.run(run.id()).state()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void aWaitingRunCanBeCancelledAndNeverStarts() {
    Run run = create("later", new Placement(null, "05:00-06:00", null, null), null);
    Run cancelled = core.taskService.cancel(run.id(), "bob");
    assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
    core.advance(Duration.ofHours(6));
    assertThat(core.local.startedRuns()).isEmpty();
    assertThat(core.taskService.run(run.id()).state()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void aWaitingRunIsPickedUpByAFreshControllerAsAfterARestart() {
    Run run = create("survivor", new Placement(null, "03:00-04:00", null, null), null);
    RunController restarted =
        new RunController(core.tasks, core.clusters, core.events, core.time, r -> {});
    restarted.dispatch(run.id());
    core.advance(Duration.ofHours(3));
    assertThat(core.taskService.run(run.id()).state()).isEqualTo(RunState.RUNNING);
  }

  @Test
  void badWindowsZonesAndThresholdsAreRefusedNamingTheField() {
    assertThat(fields(new Placement(null, "1am-6am", null, null))).containsExactly("window");
    assertThat(fields(new Placement(null, "01:00-01:00", null, null))).containsExactly("window");
    assertThat(fields(new Placement(null, "01:00-06:00", "Mars/Olympus", null)))
        .containsExactly("windowTimeZone");
    assertThat(fields(new Placement(null, null, null, 0))).containsExactly("idle");
    assertThat(fields(new Placement(null, null, null, 101))).containsExactly("idle");
    assertThat(fields(new Placement(null, null, null, 100))).isEmpty();
    assertThatThrownBy(
            () ->
                core.taskService.create(
                    request("bad", new Placement(null, "01:00-01:00", null, null), null), "alice"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("never opens");
    assertThat(core.tasks.find("bad")).isEmpty();
  }

  List<String> fields(Placement p) {
    return core.taskService.problems(request("check", p, null)).stream()
        .map(ValidationException.FieldError::field)
        .toList();
  }
}
