package dev.berth.server.node;

import dev.berth.core.app.AppStore;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.control.WorkQueue;
import dev.berth.core.event.EventSink;
import dev.berth.core.node.DrainController;
import dev.berth.core.node.DrainNotifier;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.time.Scheduler;
import dev.berth.core.traffic.InstanceTraffic;
import dev.berth.server.access.Access;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.event.EventService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Wires node actions: the drain controller over the drain table (resumed once Berth is ready) and
 * the operations the API and portal call. A drain stopped at its deadline raises a Warning event on
 * its node; the {@link DrainNotifier} (by default: the log) is where a notification channel plugs
 * in.
 */
@Configuration(proxyBeanMethods = false)
public class NodeConfig {
  private static final Logger log = LoggerFactory.getLogger(NodeConfig.class);

  @Bean
  @ConditionalOnMissingBean
  DrainNotifier drainNotifier() {
    return d ->
        log.warn(
            "drain of node {}/{} stopped at its deadline: {}",
            d.cluster(),
            d.node(),
            String.join("; ", d.blocked()));
  }

  @Bean
  DrainController drainController(
      JdbcDrainStore store,
      ClusterRegistry clusters,
      AppStore apps,
      ReleaseStore releases,
      InstanceTraffic traffic,
      EventService events,
      DrainNotifier notifier,
      WorkQueue appQueue,
      Scheduler scheduler) {
    EventSink sink = events;
    return new DrainController(
        store,
        clusters,
        apps,
        releases,
        traffic,
        new DrainController.Outlets(sink, notifier, appQueue::enqueue),
        scheduler);
  }

  @Bean
  NodeOperations nodeOperations(
      ClusterRegistry clusters,
      DrainController drains,
      Access access,
      AuditLog audit,
      EventService events,
      Scheduler scheduler) {
    return new NodeOperations(clusters, drains, access, audit, events, scheduler);
  }

  @EventListener(ApplicationReadyEvent.class)
  public void resume(ApplicationReadyEvent ready) {
    ready.getApplicationContext().getBean(DrainController.class).resume();
  }
}
