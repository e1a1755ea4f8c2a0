package dev.berth.server.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.zaxxer.hikari.HikariDataSource;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunController;
import dev.berth.core.task.TaskRequest;
import dev.berth.core.task.TaskService;
import dev.berth.core.task.TaskSpec;
import dev.berth.core.task.Trigger;
import dev.berth.core.task.TriggerType;
import dev.berth.core.testing.FakeClusterRuntime;
import dev.berth.core.testing.FakeClusters;
import dev.berth.core.testing.InMemoryTaskStore;
import dev.berth.core.testing.RecordingEvents;
import dev.berth.core.time.SystemScheduler;
import dev.berth.server.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cron fires on real db-scheduler over H2, in two "Berth processes" sharing one database, each with
 * its own timers. db-scheduler polls only once an hour here, so a fire that starts at all was
 * started by a timer; each fire time is delivered once across both processes.
 */
class CronFireTimerIT {
  static final Duration NO_POLL = Duration.ofHours(1);

  final HikariDataSource db = TestDatabases.h2();
  final SystemScheduler time = new SystemScheduler("cron-it");
  final InMemoryTaskStore tasks = new InMemoryTaskStore();
  final RecordingEvents events = new RecordingEvents();
  final FakeClusterRuntime local = new FakeClusterRuntime("local", time);
  final RunController runs =
      new RunController(tasks, new FakeClusters(local), events, time, run -> {});
  final Map<Instant, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  final List<Process> processes = new ArrayList<>();

  /** One Berth process: its task service, its db-scheduler and its timers. */
  final class Process {
    final DbTaskScheduling scheduling;
    final Scheduler scheduler;
    final TaskService service;

    Process() {
      TaskService[] self = new TaskService[1];
      DbTaskScheduling[] timers = new DbTaskScheduling[1];
      CustomTask<Void> fire =
          TaskConfig.fireTask(
              (task, at) -> {
                deliveries.computeIfAbsent(at, k -> new AtomicInteger()).incrementAndGet();
                return self[0].fireScheduled(task, at);
              },
              () -> timers[0]);
      scheduling = new DbTaskScheduling(fire, time);
      timers[0] = scheduling;
      scheduler = TaskConfig.fireTimeScheduler(db, fire, NO_POLL);
      scheduling.attach(scheduler);
      service =
          new TaskService(
              tasks,
              new FakeClusters(local),
              events,
              time,
              scheduling,
              runs,
              () -> "generated-secret-0123456789",
              name -> false);
      self[0] = service;
      scheduler.start();
      processes.add(this);
    }
  }

  @AfterEach
  void stop() {
    processes.forEach(p -> p.scheduler.stop());
    runs.close();
    time.close();
    db.close();
  }

  @Test
  void aCronFireStartsWithoutWaitingForThePollAndEachFireTimeRunsOnce() {
    Process a = new Process();
    Process b = new Process();
    TaskSpec spec = new TaskSpec("registry.test/job:1", List.of("true"), null, null, null);
    a.service.create(
        new TaskRequest(
            "tick",
            null,
            null,
            spec,
            new Trigger(TriggerType.CRON, null, "* * * * * *", null, null),
            null,
            null,
            null,
            60,
            0,
            false,
            null,
            null),
        "alice");
    assertThat(b.scheduling.armUpcoming())
        .as("the other process arms its timer as it would at its start")
        .isEqualTo(1);

    await().atMost(Duration.ofSeconds(30)).until(() -> local.startedRuns().size() >= 3);
    a.service.delete("tick", "alice");

    List<Run> started =
        tasks.allRuns().stream().filter(r -> local.startedRuns().containsKey(r.id())).toList();
    assertThat(started).extracting(Run::scheduledAt).doesNotHaveDuplicates();
    assertThat(deliveries)
        .allSatisfy(
            (at, n) -> assertThat(n.get()).as("deliveries of fire time %s", at).isEqualTo(1));
    assertThat(events.warnings()).doesNotContain("LateRun", "MissedSchedule");
  }

  @Test
  void anAtFireArmedAtStartRunsOnceAtItsTime() {
    Process first = new Process();
    Instant at = Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    TaskSpec spec = new TaskSpec("registry.test/job:1", List.of("true"), null, null, null);
    first.service.create(
        new TaskRequest(
            "once",
            null,
            null,
            spec,
            new Trigger(TriggerType.AT, at, null, null, null),
            null,
            null,
            null,
            60,
            0,
            false,
            null,
            null),
        "alice");
    first.scheduler.stop();
    processes.remove(first);

    Process restarted = new Process();
    assertThat(restarted.scheduling.armUpcoming()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> local.startedRuns().containsKey("once-1"));
    assertThat(tasks.allRuns())
        .singleElement()
        .satisfies(r -> assertThat(r.scheduledAt()).isEqualTo(at));
    assertThat(deliveries.values()).extracting(AtomicInteger::get).containsExactly(1);
    assertThat(
            Optional.ofNullable(
                restarted
                    .scheduler
                    .getScheduledExecution(
                        com.github.kagkarlsson.scheduler.task.TaskInstanceId.of(
                            TaskConfig.FIRE_TASK, "once"))
                    .orElse(null)))
        .isEmpty();
  }
}
