package dev.berth.server.autoscale;

import dev.berth.core.app.AppService;
import dev.berth.core.app.AppStore;
import dev.berth.core.event.EventSink;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.time.Scheduler;
import dev.berth.server.access.Access;
import dev.berth.server.app.AppOperations;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.event.EventService;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Wires autoscaling: the operations the API and portal call, and the controller that evaluates
 * every policy each {@code berth.autoscale.interval} once Berth is ready.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AutoscaleProperties.class)
public class AutoscaleConfig {
  @Bean
  CronWindows cronWindows() {
    return new CronWindows();
  }

  @Bean
  AutoscaleOperations autoscaleOperations(
      JdbcAutoscaleStore store,
      AppOperations apps,
      Access access,
      AuditLog audit,
      CronWindows windows,
      Scheduler scheduler) {
    return new AutoscaleOperations(store, apps, access, audit, windows, scheduler);
  }

  @Bean(destroyMethod = "close")
  AutoscaleController autoscaleController(
      JdbcAutoscaleStore store,
      AppStore apps,
      AppService appService,
      ReleaseStore releases,
      MetricSource metrics,
      CronWindows windows,
      EventService events,
      Scheduler scheduler,
      AutoscaleProperties properties) {
    EventSink sink = events;
    return new AutoscaleController(
        new AutoscaleController.Parts(
            store,
            apps,
            appService,
            releases,
            app -> appService.instances(app.name()),
            new AutoscaleReadings(metrics, properties.metricWindow()),
            windows,
            sink,
            scheduler),
        properties.history());
  }

  @EventListener(ApplicationReadyEvent.class)
  public void start(ApplicationReadyEvent ready) {
    AutoscaleProperties properties =
        ready.getApplicationContext().getBean(AutoscaleProperties.class);
    if (properties.enabled()) {
      ready.getApplicationContext().getBean(AutoscaleController.class).start(properties.interval());
    }
  }
}
