package dev.berth.server.build;

import dev.berth.oci.build.ImageBuilder;
import dev.berth.server.config.BerthProperties;
import dev.berth.server.event.EventService;
import dev.berth.server.image.RegistryDirectory;
import java.time.Clock;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Wires image builds: jib's caches under {@code <data>/builds/cache}, plain HTTP for loopback
 * registries and {@code berth.local.insecure-registries}, credentials of the registries added to
 * Berth ({@link RegistryDirectory#credentialsFor}), and the runner that recovers unfinished builds
 * once the server is ready.
 */
@Configuration(proxyBeanMethods = false)
public class BuildConfig {
  @Bean
  BuildCredentials registryBuildCredentials(RegistryDirectory registries) {
    // jib sends credentials over plain HTTP only when told to; Berth reaches a registry over plain
    // HTTP
    // only when it is on loopback or the operator listed it in berth.local.insecure-registries.
    System.setProperty("sendCredentialsOverHttp", "true");
    return registries::credentialsFor;
  }

  @Bean
  BuildFiles buildFiles(BerthProperties properties) {
    return new BuildFiles(properties.dataDir());
  }

  @Bean(destroyMethod = "close")
  ImageBuilder imageBuilder(
      BerthProperties properties,
      BuildProperties builds,
      BuildFiles files,
      BuildCredentials credentials) {
    return new ImageBuilder(
        new ImageBuilder.Settings(
            files.cache(),
            properties.local().insecureRegistries(),
            credentials::forHost,
            builds.maxUnpackedSize().toBytes()));
  }

  @Bean(destroyMethod = "close")
  BuildRunner buildRunner(
      JdbcBuildStore store,
      BuildFiles files,
      ImageBuilder builder,
      EventService events,
      Clock clock,
      BuildProperties builds) {
    return new BuildRunner(
        store, files, builder, events, clock, builds.concurrency(), builds.logLines());
  }

  @Bean
  BuildService buildService(
      JdbcBuildStore store, BuildFiles files, BuildRunner runner, Clock clock) {
    return new BuildService(store, files, runner, clock);
  }

  @EventListener(ApplicationReadyEvent.class)
  public void recover(ApplicationReadyEvent ready) {
    ready.getApplicationContext().getBean(BuildRunner.class).recover();
  }
}
