package dev.berth.server.inspection;

import dev.berth.core.app.App;
import dev.berth.core.app.AppStore;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.Instance;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import dev.berth.core.time.Scheduler;
import dev.berth.server.charts.NodeMetrics;
import dev.berth.server.charts.NodeReading;
import dev.berth.server.cluster.Clusters;
import dev.berth.server.image.RegistryDirectory;
import dev.berth.server.inspection.Facts.AppFact;
import dev.berth.server.inspection.Facts.CertificateFact;
import dev.berth.server.inspection.Facts.RegistryFact;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Gathers the {@link Facts} of one cluster: its runtime and nodes, the nodes' last measurements,
 * every registry Berth knows (a connection test each) with its TLS certificate, the cluster's
 * client certificates and its apps. Each part that fails is recorded as such; gathering never
 * throws for a cluster that exists.
 */
@Component
class FactGatherer {
  private static final Logger LOG = LoggerFactory.getLogger(FactGatherer.class);

  private final Clusters clusters;
  private final NodeMetrics metrics;
  private final RegistryDirectory registries;
  private final AppStore apps;
  private final Scheduler clock;

  FactGatherer(
      Clusters clusters,
      NodeMetrics metrics,
      RegistryDirectory registries,
      AppStore apps,
      Scheduler clock) {
    this.clusters = clusters;
    this.metrics = metrics;
    this.registries = registries;
    this.apps = apps;
    this.clock = clock;
  }

  Facts gather(String cluster) {
    ClusterRuntime runtime =
        clusters.runtime(cluster).orElseThrow(() -> new NotFoundException("cluster", cluster));
    String runtimeError = null;
    List<NodeInfo> nodes = List.of();
    try {
      nodes = runtime.nodes();
      String status =
          clusters.views().stream()
              .filter(v -> v.name().equals(cluster))
              .map(v -> "Ready".equals(v.status()) ? null : v.status() + ": " + v.message())
              .findFirst()
              .orElse(null);
      runtimeError = Clusters.LOCAL.equals(cluster) ? null : status;
    } catch (RuntimeException e) {
      runtimeError = e.getMessage();
    }
    Map<String, NodeReading> readings = Map.of();
    String metricsError = null;
    try {
      readings = metrics.readings(cluster);
    } catch (RuntimeException e) {
      metricsError = e.getMessage();
    }
    List<RegistryFact> registryFacts = new ArrayList<>();
    List<CertificateFact> certificates = new ArrayList<>();
    for (RegistryDirectory.View r : registries.views()) {
      RegistryDirectory.Check check = registries.test(r.name());
      registryFacts.add(new RegistryFact(r.name(), r.url(), check.ok(), check.message()));
      if (check.ok()) {
        try {
          Certificates.ofServer(r.url())
              .forEach(c -> certificates.add(fact("registry " + r.name(), c)));
        } catch (Exception e) {
          LOG.debug("no TLS certificate read from registry {}", r.name(), e);
        }
      }
    }
    clusters
        .openKubeconfig(cluster)
        .ifPresent(
            kubeconfig -> {
              try {
                Certificates.ofKubeconfig(kubeconfig)
                    .forEach(c -> certificates.add(fact("cluster " + cluster + " client", c)));
              } catch (Exception e) {
                LOG.debug("no client certificate read from cluster {}", cluster, e);
              }
            });
    return new Facts(
        cluster,
        clock.instant(),
        runtimeError,
        nodes,
        readings,
        metricsError,
        Clusters.LOCAL.equals(cluster),
        registryFacts,
        certificates,
        appFacts(cluster, runtime));
  }

  private List<AppFact> appFacts(String cluster, ClusterRuntime runtime) {
    List<AppFact> out = new ArrayList<>();
    for (int page = 0; ; page++) {
      Page<App> p = apps.list("", page, 200);
      for (App a : p.items()) {
        if (a.cluster().equals(cluster) && !a.deleting()) {
          out.add(new AppFact(a.name(), a.team(), a.status(), maxRestarts(runtime, a.name())));
        }
      }
      if ((long) (page + 1) * p.size() >= p.total() || p.items().isEmpty()) {
        return out;
      }
    }
  }

  private static int maxRestarts(ClusterRuntime runtime, String app) {
    try {
      return runtime.instances(app).stream().mapToInt(Instance::restarts).max().orElse(0);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static CertificateFact fact(String item, X509Certificate c) {
    return new CertificateFact(
        item, c.getSubjectX500Principal().getName(), c.getNotAfter().toInstant());
  }
}
