package dev.berth.server;

import dev.berth.core.node.PoolDirectory;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.time.Scheduler;
import dev.berth.oci.OciImageStore;
import dev.berth.oci.PullThrough;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.runtime.kubernetes.KubernetesConnector;
import dev.berth.runtime.local.LocalRuntime;
import dev.berth.runtime.local.LocalRuntimeConfig;
import dev.berth.server.cluster.Clusters;
import dev.berth.server.cluster.JdbcClusterStore;
import dev.berth.server.config.BerthProperties;
import dev.berth.server.image.ImageProperties;
import dev.berth.server.image.RegistryDirectory;
import dev.berth.server.image.Replications;
import dev.berth.server.support.crypto.SecretBox;
import dev.berth.server.traffic.TrafficProperties;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The clusters: the embedded {@code local} one (runc on this host, images pulled into the data
 * directory) unless {@code berth.local.enabled=false}, and the Kubernetes clusters registered by
 * kubeconfig, whose credentials are sealed with {@code berth.secret-key} (or the data directory's
 * {@code secret.key}).
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfig {
  /**
   * The local runtime's client: the credentials of every registry Berth knows, looked up by host.
   */
  @Bean(destroyMethod = "close")
  RegistryClient registryClient(
      BerthProperties properties, Scheduler scheduler, RegistryDirectory registries) {
    return RegistryClient.builder()
        .scheduler(scheduler)
        .credentials(registries::credentialsFor)
        .insecureRegistries(properties.local().insecureRegistries())
        .build();
  }

  /**
   * Images of the local runtime; one its registry lacks comes from a replication rule's origin
   * (pull-through).
   */
  @Bean
  OciImageStore imageStore(
      BerthProperties properties,
      RegistryClient client,
      Replications replications,
      ImageProperties images,
      Clock clock) {
    return new OciImageStore(
        properties.dataDir().resolve("oci"),
        client,
        images.pullThrough() ? replications : PullThrough.none(),
        OciImageStore.TAG_FRESHNESS,
        clock);
  }

  @Bean
  SecretBox secretBox(BerthProperties properties, @Value("${berth.secret-key:}") String secretKey) {
    return SecretBox.of(secretKey, properties.dataDir());
  }

  /**
   * {@code berth.kubernetes.unreachable-toleration}: how long pods on Kubernetes stay on a node
   * that is unreachable or not ready before Kubernetes evicts them (Kubernetes' own default: 300
   * s). The runtimes place apps and task runs on the machine pools of {@code pools}.
   */
  @Bean
  KubernetesConnector kubernetesConnector(
      @Value("${berth.kubernetes.unreachable-toleration:1h}") java.time.Duration tolerate,
      PoolDirectory pools) {
    return new KubernetesConnector(tolerate, pools);
  }

  @Bean(destroyMethod = "close")
  Clusters clusterRegistry(
      BerthProperties properties,
      OciImageStore images,
      Clock clock,
      JdbcClusterStore store,
      SecretBox secrets,
      KubernetesConnector connector,
      Scheduler scheduler,
      TrafficProperties traffic) {
    Clusters clusters =
        new Clusters(
            localRuntime(properties, images, scheduler, traffic),
            store,
            secrets,
            connector,
            scheduler);
    clusters.load();
    return clusters;
  }

  private static ClusterRuntime localRuntime(
      BerthProperties properties,
      OciImageStore images,
      Scheduler scheduler,
      TrafficProperties traffic) {
    BerthProperties.Local local = properties.local();
    if (!local.enabled()) {
      return null;
    }
    Path dir = properties.dataDir().resolve("local");
    LocalRuntimeConfig config =
        LocalRuntimeConfig.builder(Clusters.LOCAL, dir)
            .runc(local.runc())
            .network(local.bridge(), local.subnet())
            .cgroupParent(local.cgroupParent())
            .bridgeDns(traffic.dns().servesContainers())
            .build();
    return new LocalRuntime(config, images, scheduler);
  }
}
