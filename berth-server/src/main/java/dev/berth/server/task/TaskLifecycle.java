package dev.berth.server.task;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.task.Run;
import dev.berth.core.task.RunController;
import dev.berth.core.task.RunState;
import dev.berth.core.task.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts task processing once Berth is ready (every unfinished run is reconciled against what the
 * runtime re-adopted, then fire times are served and a timer is armed for each), and sweeps old
 * runs hourly.
 */
@Component
public class TaskLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(TaskLifecycle.class);
  private final TaskStore store;
  private final RunController runs;
  private final Scheduler scheduler;
  private final ClusterRegistry clusters;
  private final TaskProperties properties;
  private final Clock clock;
  private final DbTaskScheduling scheduling;
  private final dev.berth.core.time.Scheduler time;

  public TaskLifecycle(
      TaskStore store,
      RunController runs,
      Scheduler scheduler,
      ClusterRegistry clusters,
      TaskProperties properties,
      Clock clock,
      DbTaskScheduling scheduling,
      dev.berth.core.time.Scheduler time) {
    this.scheduling = scheduling;
    this.time = time;
    this.store = store;
    this.runs = runs;
    this.scheduler = scheduler;
    this.clusters = clusters;
    this.properties = properties;
    this.clock = clock;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void start() {
    var unfinished =
        store.runsIn(
            null,
            EnumSet.of(RunState.QUEUED, RunState.WAITING, RunState.STARTING, RunState.RUNNING));
    unfinished.forEach(r -> runs.dispatch(r.id()));
    scheduler.start();
    int armed = scheduling.armUpcoming();
    time.scheduleWithFixedDelay(Duration.ofMinutes(2), Duration.ofHours(1), this::sweep);
    LOG.info(
        "tasks: {} unfinished run(s) queued for reconcile; fire times are served, {} timer(s) armed",
        unfinished.size(),
        armed);
  }

  /**
   * Reclaims failed runs kept past {@code berth.tasks.keep-failed-for}; forgets old finished runs.
   * Hourly from two minutes after the start.
   */
  public void sweep() {
    try {
      Instant keptBefore = clock.instant().minus(properties.keepFailedFor());
      for (Run r : store.runsIn(null, EnumSet.of(RunState.FAILED, RunState.TIMED_OUT))) {
        if (!r.reclaimed() && r.endedAt() != null && r.endedAt().isBefore(keptBefore)) {
          clusters.runtime(r.cluster()).ifPresent(rt -> rt.reclaimRun(r.id()));
          runs.dispatch(r.id());
        }
      }
      int n = store.deleteEndedBefore(clock.instant().minus(properties.runRetention()));
      int m = store.deleteOldestBeyond(properties.maxRuns());
      if (n + m > 0) {
        LOG.info(
            "tasks: forgot {} finished run(s) older than {} and {} beyond the newest {}",
            n,
            properties.runRetention(),
            m,
            properties.maxRuns());
      }
    } catch (RuntimeException e) {
      LOG.warn("task sweep failed, next try in an hour: {}", e.getMessage());
    }
  }
}
