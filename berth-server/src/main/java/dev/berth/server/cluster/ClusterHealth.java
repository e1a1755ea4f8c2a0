package dev.berth.server.cluster;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Checks every Kubernetes cluster's API server periodically ({@code berth.kubernetes.health-interval}). */
@Component
public class ClusterHealth {
  private final Clusters clusters;

  public ClusterHealth(Clusters clusters) {
    this.clusters = clusters;
  }

  @Scheduled(fixedDelayString = "${berth.kubernetes.health-interval:30s}", initialDelayString = "${berth.kubernetes.health-interval:30s}")
  public void check() {
    clusters.checkHealth();
  }
}
