package dev.berth.server.inspection;

import dev.berth.core.cluster.Cluster;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Inspects every cluster every {@code berth.inspection.interval} (default 6 h; 0 turns it off) on
 * the injected {@link Scheduler}. The first pass after a start comes one interval after the newest
 * stored inspection (at once when that is past), so restarts neither skip nor repeat a pass.
 * Reports older than {@code berth.inspection.retention} (default 30 days) are removed after each
 * pass. A cluster whose inspection throws is logged and the others go on.
 */
@Component
class InspectionSchedule implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(InspectionSchedule.class);

  private final Inspector inspector;
  private final ClusterRegistry clusters;
  private final JdbcInspectionStore store;
  private final Scheduler scheduler;
  private final Duration interval;
  private final Duration retention;
  private volatile Scheduler.Cancellable running;

  InspectionSchedule(
      Inspector inspector,
      ClusterRegistry clusters,
      JdbcInspectionStore store,
      Scheduler scheduler,
      @Value("${berth.inspection.interval:6h}") Duration interval,
      @Value("${berth.inspection.retention:30d}") Duration retention) {
    this.inspector = inspector;
    this.clusters = clusters;
    this.store = store;
    this.scheduler = scheduler;
    this.interval = interval;
    this.retention = retention;
  }

  /** The wait before the first pass: one interval after the last start, never negative. */
  static Duration firstDelay(Instant lastStart, Instant now, Duration interval) {
    if (lastStart == null) {
      return interval;
    }
    Duration left = Duration.between(now, lastStart.plus(interval));
    return left.isNegative() ? Duration.ZERO : left;
  }

  @Override
  public void start() {
    if (interval.isZero() || interval.isNegative()) {
      LOG.info("scheduled inspections are off (berth.inspection.interval={})", interval);
      return;
    }
    Duration first = firstDelay(store.lastStart().orElse(null), scheduler.instant(), interval);
    running = scheduler.scheduleWithFixedDelay(first, interval, this::pass);
  }

  void pass() {
    for (Cluster c : clusters.clusters()) {
      try {
        inspector.inspect(c.name(), "scheduled", "system");
      } catch (RuntimeException e) {
        LOG.warn("scheduled inspection of cluster {} failed; next in {}", c.name(), interval, e);
      }
    }
    int removed = store.sweep(scheduler.instant().minus(retention));
    if (removed > 0) {
      LOG.info("removed {} inspection report(s) older than {}", removed, retention);
    }
  }

  @Override
  public void stop() {
    Scheduler.Cancellable r = running;
    if (r != null) {
      r.cancel();
      running = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running != null;
  }
}
