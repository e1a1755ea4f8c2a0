package dev.berth.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.ValidationException;
import dev.berth.core.testing.CoreHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Triggers, concurrency policies and deletion of tasks on in-memory stores, a fake runtime and
 * manual time.
 */
class TaskServiceTest {
  final CoreHarness core = new CoreHarness();

  static final TaskSpec SPEC =
      new TaskSpec("registry.test/job:1", List.of("sh", "-c", "work"), null, null, null);

  static TaskRequest request(String name, Trigger trigger, ConcurrencyPolicy concurrency) {
    return new TaskRequest(
        name, null, null, SPEC, trigger, null, null, null, 600, null, null, concurrency, null);
  }

  static Trigger everyTenSeconds() {
    return new Trigger(TriggerType.CRON, null, "*/10 * * * * *", null, null);
  }

  List<RunState> states(String task) {
    return core.tasks.allRuns().stream()
        .filter(r -> r.task().equals(task))
        .map(Run::state)
        .toList();
  }

  @Test
  void aNowTriggerStartsItsFirstRunAtOnceWithTheTasksLimits() {
    TaskService.Created created = core.taskService.create(request("report", null, null), "alice");
    core.settle();

    assertThat(created.run()).map(Run::id).contains("report-1");
    assertThat(core.local.startedRuns().get("report-1").timeout())
        .isEqualTo(Duration.ofSeconds(600));
    assertThat(core.taskService.run("report-1").state()).isEqualTo(RunState.RUNNING);
    assertThat(core.events.reasons("task/report")).containsExactly("Created");
  }

  @Test
  void refusesEveryInvalidFieldAtOnceAndStoresNothing() {
    Trigger past =
        new Trigger(TriggerType.AT, core.time.instant().minusSeconds(1), null, null, null);
    TaskRequest bad =
        new TaskRequest(
            "report",
            null,
            "mars",
            SPEC,
            past,
            RunMode.SYNC,
            "ftp://x",
            null,
            0,
            -1,
            null,
            null,
            null);
    assertThatThrownBy(() -> core.taskService.create(bad, "alice"))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).errors())
                    .extracting(ValidationException.FieldError::field)
                    .contains(
                        "trigger.at",
                        "mode",
                        "callbackUrl",
                        "timeoutSeconds",
                        "retries",
                        "cluster"));
    assertThat(core.tasks.find("report")).isEmpty();
    assertThat(core.fireTimes.fireTime("report")).isEmpty();
  }

  @Test
  void aRunCarriesItsTasksPoolToTheRuntimeAndBadLabelsAreRefused() {
    TaskSpec onPool =
        new TaskSpec(
            "registry.test/job:1",
            List.of("true"),
            null,
            null,
            null,
            null,
            new RunScheduling("batch", java.util.Map.of("disk", "ssd")));
    core.taskService.create(
        new TaskRequest(
            "report", null, null, onPool, null, null, null, null, 600, null, null, null, null),
        "alice");
    core.settle();
    assertThat(core.local.startedRuns().get("report-1").spec().scheduling())
        .isEqualTo(new RunScheduling("batch", java.util.Map.of("disk", "ssd")));

    TaskSpec badLabels =
        new TaskSpec(
            "registry.test/job:1",
            null,
            null,
            null,
            null,
            null,
            new RunScheduling("Not_A_Pool", java.util.Map.of("bad key", "x")));
    assertThatThrownBy(
            () ->
                core.taskService.create(
                    new TaskRequest(
                        "other", null, null, badLabels, null, null, null, null, 600, null, null,
                        null, null),
                    "alice"))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).errors())
                    .extracting(ValidationException.FieldError::field)
                    .contains("scheduling.pool", "scheduling.nodeLabels.bad key"));
  }

  @Test
  void anAtTriggerRunsOnceAtItsTime() {
    Instant at = core.time.instant().plusSeconds(90);
    core.taskService.create(
        request("once", new Trigger(TriggerType.AT, at, null, null, null), null), "alice");
    assertThat(core.fireTimes.fireTime("once")).contains(at);

    core.advance(Duration.ofSeconds(89));
    assertThat(states("once")).isEmpty();
    core.advance(Duration.ofSeconds(1));
    assertThat(core.tasks.allRuns())
        .singleElement()
        .satisfies(r -> assertThat(r.scheduledAt()).isEqualTo(at));
    assertThat(core.fireTimes.fireTime("once")).as("an at trigger fires once").isEmpty();
  }

  @Test
  void aCronTriggerRunsAtEachFireTimeAndARepeatedDeliveryCreatesNothing() {
    core.taskService.create(request("tick", everyTenSeconds(), ConcurrencyPolicy.ALLOW), "alice");
    Instant first = core.fireTimes.fireTime("tick").orElseThrow();
    core.advance(Duration.between(core.time.instant(), first));
    assertThat(core.tasks.allRuns()).extracting(Run::scheduledAt).containsExactly(first);

    assertThat(core.taskService.fireScheduled("tick", first)).contains(first.plusSeconds(10));
    assertThat(core.tasks.runsFor("tick", first)).isEqualTo(1);
  }

  @Test
  void allowLetsFiresRunSideBySide() {
    core.taskService.create(request("tick", everyTenSeconds(), ConcurrencyPolicy.ALLOW), "alice");
    core.advance(Duration.ofSeconds(10));
    core.advance(Duration.ofSeconds(10));
    assertThat(states("tick")).containsExactly(RunState.RUNNING, RunState.RUNNING);
  }

  @Test
  void forbidSkipsAFireWhileTheLastRunIsActiveAndSaysSo() {
    core.taskService.create(request("tick", everyTenSeconds(), ConcurrencyPolicy.FORBID), "alice");
    core.advance(Duration.ofSeconds(10));
    core.advance(Duration.ofSeconds(10));
    assertThat(states("tick")).containsExactly(RunState.RUNNING);
    assertThat(core.events.all())
        .anyMatch(
            e ->
                e.reason().equals("SkippedConcurrent")
                    && e.message().contains("tick-1 is still running"));

    core.local.runExits("tick-1", 0, false);
    core.advance(Duration.ofSeconds(10));
    assertThat(states("tick")).containsExactly(RunState.SUCCEEDED, RunState.RUNNING);
  }

  @Test
  void replaceCancelsTheActiveRunAndStartsTheNewOne() {
    core.taskService.create(request("tick", everyTenSeconds(), ConcurrencyPolicy.REPLACE), "alice");
    core.advance(Duration.ofSeconds(10));
    core.advance(Duration.ofSeconds(10));

    assertThat(core.local.stoppedRuns()).containsExactly("tick-1");
    assertThat(states("tick")).containsExactly(RunState.CANCELLED, RunState.RUNNING);
  }

  @Test
  void aFireLaterThanItsStartingDeadlineIsSkippedWithAWarning() {
    Trigger cron = new Trigger(TriggerType.CRON, null, "*/10 * * * * *", null, 5);
    core.taskService.create(request("tick", cron, null), "alice");
    Instant due = core.fireTimes.fireTime("tick").orElseThrow();
    core.time.advance(Duration.between(core.time.instant(), due).plusSeconds(30)); // Berth was down

    assertThat(core.taskService.fireScheduled("tick", due)).contains(due.plusSeconds(40));
    assertThat(core.tasks.allRuns()).isEmpty();
    assertThat(core.events.warnings()).containsExactly("MissedSchedule");
  }

  @Test
  void deletingATaskForgetsItsScheduleCancelsActiveRunsAndKeepsTheirHistory() {
    core.taskService.create(request("tick", everyTenSeconds(), ConcurrencyPolicy.ALLOW), "alice");
    core.advance(Duration.ofSeconds(10));
    core.taskService.delete("tick", "bob");
    core.settle();

    assertThat(core.fireTimes.fireTime("tick")).isEmpty();
    assertThat(core.taskService.run("tick-1").state()).isEqualTo(RunState.CANCELLED);
    assertThat(core.local.stoppedRuns()).containsExactly("tick-1");
    assertThat(core.events.reasons("task/tick")).endsWith("Deleted");
    core.advance(Duration.ofMinutes(1));
    assertThat(core.tasks.allRuns()).hasSize(1);
  }

  @Test
  void aNameTakenByAnAppOrTaskIsAConflict() {
    core.taskService.create(request("report", null, null), "alice");
    assertThatThrownBy(() -> core.taskService.create(request("report", null, null), "alice"))
        .isInstanceOf(ConflictException.class);
    core.appService.create(
        new dev.berth.core.app.AppRequest(
            "web",
            null,
            null,
            new dev.berth.core.app.AppSpec(
                "registry.test/web:1", List.of("httpd"), null, null, null, null, null, null),
            1,
            null),
        "alice");
    assertThatThrownBy(() -> core.taskService.create(request("web", null, null), "alice"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("share one name space");
  }
}
