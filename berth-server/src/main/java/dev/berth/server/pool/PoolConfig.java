package dev.berth.server.pool;

import dev.berth.core.time.Scheduler;
import dev.berth.server.access.Access;
import dev.berth.server.app.AppOperations;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.cluster.NodeViews;
import dev.berth.server.event.EventService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires machine pools: the operations the API and the portal call. */
@Configuration(proxyBeanMethods = false)
public class PoolConfig {
  @Bean
  PoolOperations poolOperations(
      JdbcPoolStore store,
      NodeViews nodes,
      AppOperations apps,
      Access access,
      AuditLog audit,
      EventService events,
      Scheduler scheduler) {
    return new PoolOperations(
        new PoolOperations.Parts(store, nodes, apps, access, audit, events, scheduler));
  }
}
