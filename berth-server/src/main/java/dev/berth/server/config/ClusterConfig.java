package dev.berth.server.config;

import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.oci.OciImageStore;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.runtime.local.LocalRuntime;
import dev.berth.runtime.local.LocalRuntimeConfig;
import dev.berth.server.cluster.LocalClusterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The embedded {@code local} cluster: runc on this host, images pulled into the data directory. */
@Configuration(proxyBeanMethods = false)
public class ClusterConfig {
  @Bean(destroyMethod = "close")
  RegistryClient registryClient(BerthProperties properties, Clock clock) {
    return RegistryClient.builder().clock(clock).insecureRegistries(properties.local().insecureRegistries()).build();
  }

  @Bean
  OciImageStore imageStore(BerthProperties properties, RegistryClient client) {
    return new OciImageStore(properties.dataDir().resolve("oci"), client);
  }

  @Bean(destroyMethod = "close")
  LocalClusterRegistry clusterRegistry(BerthProperties properties, OciImageStore images, Clock clock) {
    BerthProperties.Local local = properties.local();
    if (!local.enabled()) {
      return new LocalClusterRegistry(null);
    }
    Path dir = properties.dataDir().resolve("local");
    LocalRuntimeConfig config =
        new LocalRuntimeConfig(
            LocalClusterRegistry.LOCAL, dir, local.runc(), null, local.bridge(), local.subnet(), local.cgroupParent(), 0, 0, null, null, null);
    ClusterRuntime runtime = new LocalRuntime(config, images, clock);
    return new LocalClusterRegistry(runtime);
  }
}
