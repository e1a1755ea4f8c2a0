package dev.berth.server;

import dev.berth.core.app.AppController;
import dev.berth.core.app.AppService;
import dev.berth.core.app.AppStore;
import dev.berth.core.app.RolloutDriver;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.control.WorkQueue;
import dev.berth.core.event.Event;
import dev.berth.core.time.Scheduler;
import dev.berth.core.time.SystemScheduler;
import dev.berth.server.cluster.ClusterObservations;
import dev.berth.server.event.EventService;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Wires Berth's core (framework-free) into the server: the app service, the app controller and its
 * work queue, and the flow of observations from every cluster runtime into events and reconciles.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class CoreConfig {
  private static final Logger LOG = LoggerFactory.getLogger(CoreConfig.class);

  /**
   * The one {@link Scheduler} of this process: time (from the {@link Clock} bean), delayed and
   * periodic work, and waits, for everything that waits, retries, times out or repeats. Closed on
   * shutdown.
   */
  @Bean(destroyMethod = "close")
  Scheduler scheduler(Clock clock) {
    return new SystemScheduler("berth", clock);
  }

  @Bean
  AppController appController(
      AppStore apps,
      ClusterRegistry clusters,
      EventService events,
      Clock clock,
      RolloutDriver releases) {
    return new AppController(apps, clusters, events, clock, releases);
  }

  @Bean(destroyMethod = "close")
  WorkQueue appQueue(
      AppController controller,
      EventService events,
      AppStore apps,
      Clock clock,
      Scheduler scheduler) {
    return new WorkQueue(
        "apps",
        controller::reconcile,
        8,
        (app, reason) -> {
          String cluster = apps.find(app).map(a -> a.cluster()).orElse("");
          events.emit(
              Event.warning(clock.instant(), cluster, "app", app, app, "ReconcileFailed", reason));
        },
        scheduler);
  }

  @Bean
  AppService appService(
      AppStore apps,
      ClusterRegistry clusters,
      EventService events,
      Clock clock,
      WorkQueue appQueue,
      dev.berth.core.task.TaskStore tasks) {
    return new AppService(
        apps, clusters, events, clock, appQueue::enqueue, name -> tasks.find(name).isPresent());
  }

  /**
   * After start: route observations, reconcile every application once (re-adoption included), and
   * sweep old events hourly.
   */
  @EventListener(ApplicationReadyEvent.class)
  public void start(ApplicationReadyEvent ready) {
    var ctx = ready.getApplicationContext();
    ClusterRegistry clusters = ctx.getBean(ClusterRegistry.class);
    WorkQueue queue = ctx.getBean(WorkQueue.class);
    AppStore apps = ctx.getBean(AppStore.class);
    EventService events = ctx.getBean(EventService.class);
    ctx.getBean(ClusterObservations.class).routeAll();
    ctx.getBean(Scheduler.class)
        .scheduleWithFixedDelay(Duration.ofMinutes(1), Duration.ofHours(1), events::sweep);
    for (var c : clusters.clusters()) {
      for (String app : apps.names(c.name())) {
        queue.enqueue(app);
      }
    }
    LOG.info(
        "Berth is ready: {} cluster(s), {} application(s) queued for reconcile",
        clusters.clusters().size(),
        queue.size());
  }
}
