package dev.berth.core.testing;

import dev.berth.core.app.AppController;
import dev.berth.core.app.AppService;
import dev.berth.core.control.WorkQueue;
import dev.berth.core.event.Event;
import dev.berth.core.release.AppLocks;
import dev.berth.core.release.ReleaseController;
import dev.berth.core.release.ReleaseService;
import dev.berth.core.runtime.Observation;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunController;
import dev.berth.core.task.TaskService;
import dev.berth.core.time.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Berth's core wired the way the server wires it, on in-memory stores, a {@link FakeClusterRuntime}
 * named {@code local} and a {@link ManualScheduler}: observations enqueue the app or dispatch the
 * run, the work queues run when time moves ({@link #settle}, {@link #advance}). Runs that end are
 * collected in {@link #finished} (where the server posts callbacks).
 */
public final class CoreHarness {
  public final ManualScheduler time = new ManualScheduler();
  public final InMemoryAppStore apps = new InMemoryAppStore(time);
  public final InMemoryTaskStore tasks = new InMemoryTaskStore();
  public final RecordingEvents events = new RecordingEvents();
  public final FakeClusterRuntime local = new FakeClusterRuntime("local", time);
  public final FakeClusters clusters = new FakeClusters(local);
  public final ManualTaskScheduling fireTimes = new ManualTaskScheduling();
  public final List<Run> finished = new CopyOnWriteArrayList<>();
  public final InMemoryReleaseStore releases = new InMemoryReleaseStore();
  public final AppLocks appLocks = new AppLocks();
  public final RecordingTraffic traffic = new RecordingTraffic();

  /**
   * What runs waiting for an idle node read ({@code berth_node_cpu_usage_cores}, {@code _cpus}).
   */
  public final InMemoryMetrics metrics = new InMemoryMetrics();

  public final ReleaseController releaseController =
      new ReleaseController(releases, apps, traffic, events, appLocks);
  public final AppController appController =
      new AppController(apps, clusters, events, time, releaseController);
  public final WorkQueue appQueue =
      new WorkQueue(
          "apps",
          appController::reconcile,
          8,
          (app, reason) ->
              events.emit(
                  Event.warning(
                      time.instant(), "local", "app", app, app, "ReconcileFailed", reason)),
          time);
  public final AppService appService =
      new AppService(
          apps, clusters, events, time, appQueue::enqueue, name -> tasks.find(name).isPresent());
  public final ReleaseService releaseService =
      new ReleaseService(
          appService,
          apps,
          releases,
          events,
          time,
          appQueue::enqueue,
          appLocks,
          dev.berth.core.support.TeamImagePolicy.ANY);
  public final dev.berth.core.release.LiveResize liveResize =
      new dev.berth.core.release.LiveResize(
          new dev.berth.core.release.LiveResize.Parts(
              apps, appService, releases, clusters, appLocks, events, time, appQueue::enqueue));
  public final RunController runController =
      new RunController(
          tasks, clusters, events, time, finished::add, dev.berth.core.task.NodeCpu.from(metrics));
  public final TaskService taskService =
      new TaskService(
          tasks,
          clusters,
          events,
          time,
          fireTimes,
          runController,
          () -> "generated-secret-0123456789",
          name -> apps.find(name).isPresent());

  public CoreHarness() {
    local.observe(
        o -> {
          switch (o) {
            case Observation.Happened h -> events.emit(h.event());
            case Observation.InstanceChanged c -> appQueue.enqueue(c.instance().app());
            case Observation.InstanceRemoved r -> appQueue.enqueue(r.app());
            case Observation.RunChanged r -> runController.dispatch(r.run().runId());
          }
        });
  }

  /** Runs everything due now (queued reconciles and what they cause), without moving time. */
  public void settle() {
    time.runDue();
  }

  /** Moves time, running what falls due on the way, including stored fire times. */
  public void advance(Duration d) {
    time.advance(d);
    fireTimes.fireDue(time.instant(), taskService::fireScheduled);
    time.runDue();
  }
}
