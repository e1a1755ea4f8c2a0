package dev.berth.server.cluster;

import dev.berth.core.time.Scheduler;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Checks every Kubernetes cluster's API server periodically ({@code
 * berth.kubernetes.health-interval}).
 */
@Component
public class ClusterHealth {
  private final Clusters clusters;
  private final Scheduler scheduler;
  private final Duration interval;

  public ClusterHealth(
      Clusters clusters,
      Scheduler scheduler,
      @Value("${berth.kubernetes.health-interval:30s}") Duration interval) {
    this.clusters = clusters;
    this.scheduler = scheduler;
    this.interval = interval;
  }

  /** Once Berth is ready: a check every interval, the next one an interval after the last ended. */
  @EventListener(ApplicationReadyEvent.class)
  public void start() {
    scheduler.scheduleWithFixedDelay(interval, interval, this::check);
  }

  public void check() {
    clusters.checkHealth();
  }
}
