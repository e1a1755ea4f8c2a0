package dev.berth.server.image;

import dev.berth.core.time.Scheduler;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.oci.replication.ImageCopier;
import dev.berth.oci.replication.ReplicationEngine;
import dev.berth.oci.replication.RetryPolicy;
import dev.berth.server.support.crypto.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Wires the image centre: the registry directory, the browser, the replication engine with its job
 * log and metrics, and the periodic full sync ({@code berth.images.sync-interval}). Jobs left
 * running by a previous process are closed as failed at start; the next sync repeats them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImageProperties.class)
public class ImageConfig {
  private static final Logger LOG = LoggerFactory.getLogger(ImageConfig.class);

  @Bean(destroyMethod = "close")
  RegistryDirectory registryDirectory(
      JdbcImageStore store, SecretBox secrets, Clock clock, Scheduler scheduler) {
    return new RegistryDirectory(
        store, secrets, clock, d -> RegistryClient.builder().scheduler(scheduler));
  }

  @Bean
  ImageBrowser imageBrowser(RegistryDirectory registries) {
    return new ImageBrowser(registries);
  }

  @Bean
  JobLog replicationJobLog(JdbcImageStore store, Clock clock, MeterRegistry meters) {
    return new JobLog(store, clock, meters);
  }

  @Bean(destroyMethod = "close")
  ReplicationEngine replicationEngine(ImageProperties p, JobLog jobs, Scheduler scheduler) {
    Duration first = p.retryBackoff();
    RetryPolicy retry = new RetryPolicy(p.maxAttempts(), first, first.multipliedBy(20));
    return new ReplicationEngine(
        new ImageCopier(p.parallelBlobs(), p.chunkSize()),
        jobs,
        retry,
        p.parallelImages(),
        scheduler);
  }

  @Bean
  Replications replications(
      JdbcImageStore store, RegistryDirectory registries, ReplicationEngine engine, Clock clock) {
    return new Replications(store, registries, engine, clock);
  }

  @EventListener(ApplicationReadyEvent.class)
  public void startSync(ApplicationReadyEvent ready) {
    var ctx = ready.getApplicationContext();
    ImageProperties p = ctx.getBean(ImageProperties.class);
    JdbcImageStore store = ctx.getBean(JdbcImageStore.class);
    Clock clock = ctx.getBean(Clock.class);
    int abandoned =
        store.abandonRunning(
            clock.instant(), "Berth stopped while this job ran; the next sync repeats it");
    if (abandoned > 0) {
      LOG.info(
          "{} replication job(s) were cut short by the last stop; the next sync repeats them",
          abandoned);
    }
    if (p.syncInterval().isZero() || p.syncInterval().isNegative()) {
      LOG.info("periodic image sync is off (berth.images.sync-interval = 0)");
      return;
    }
    Replications replications = ctx.getBean(Replications.class);
    // One pass at a time: the next one starts an interval after the last one ended.
    ctx.getBean(Scheduler.class)
        .scheduleWithFixedDelay(
            p.syncInterval(),
            p.syncInterval(),
            () -> {
              try {
                replications.syncAll();
                store.deleteJobsEndedBefore(clock.instant().minus(p.jobRetention()));
              } catch (RuntimeException e) {
                LOG.warn(
                    "periodic image sync failed: {}; trying again in {}",
                    e.getMessage(),
                    p.syncInterval());
              }
            });
  }
}
