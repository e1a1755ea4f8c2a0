package dev.berth.server.gateway;

import dev.berth.core.app.App;
import dev.berth.core.app.AppService;
import dev.berth.core.app.AppStore;
import dev.berth.core.event.EventSink;
import dev.berth.core.support.Page;
import dev.berth.core.time.Scheduler;
import dev.berth.core.traffic.Endpoints;
import dev.berth.server.access.Access;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.config.BerthProperties;
import dev.berth.server.gateway.NginxConfig.AppRoute;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires the gateway when {@code berth.gateway.enabled} is true: nginx driven from the apps' routes,
 * the stored mirrors and discovery's endpoints; its counters on {@code /actuator/prometheus}; the
 * mirrors' latency guard on the scheduler.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayWiring {
  @Bean
  JdbcMirrorStore mirrorStore(JdbcClient jdbc, PlatformTransactionManager transactions) {
    return new JdbcMirrorStore(jdbc, transactions);
  }

  @Bean(initMethod = "start", destroyMethod = "close")
  @ConditionalOnProperty(name = "berth.gateway.enabled", havingValue = "true")
  Gateway gateway(
      GatewayProperties settings,
      BerthProperties berth,
      AppStore apps,
      JdbcMirrorStore mirrors,
      Endpoints endpoints,
      Scheduler scheduler,
      EventSink events) {
    Path dir =
        (settings.dir() == null ? berth.dataDir().resolve("gateway") : settings.dir())
            .toAbsolutePath()
            .normalize();
    NginxConfig.Layout layout =
        new NginxConfig.Layout(
            dir,
            settings.listenAddress(),
            settings.httpPort(),
            settings.modules(),
            settings.workers());
    Gateway.Sources sources =
        new Gateway.Sources(
            () -> routes(apps),
            () -> mirrors.all().stream().filter(Mirror::active).map(Mirror::rule).toList(),
            endpoints);
    return new Gateway(settings, layout, sources, scheduler, events);
  }

  @Bean
  MirrorOperations mirrorOperations(
      AppService apps,
      Access access,
      AuditLog audit,
      EventSink events,
      JdbcMirrorStore mirrors,
      ObjectProvider<Gateway> gateway,
      Clock clock) {
    return new MirrorOperations(apps, access, audit, events, mirrors, gateway, clock);
  }

  @Bean(destroyMethod = "cancel")
  @ConditionalOnProperty(name = "berth.gateway.enabled", havingValue = "true")
  Scheduler.Cancellable mirrorWatch(
      JdbcMirrorStore mirrors,
      Gateway gateway,
      EventSink events,
      Scheduler scheduler,
      GatewayProperties settings) {
    MirrorWatch watch =
        new MirrorWatch(mirrors, gateway::counters, events, scheduler, gateway::requestSync);
    java.time.Duration every = settings.syncEvery().multipliedBy(10);
    return scheduler.scheduleWithFixedDelay(every, every, watch::check);
  }

  @Bean
  @ConditionalOnProperty(name = "berth.gateway.enabled", havingValue = "true")
  GatewayMetrics gatewayMetrics(Gateway gateway, ObjectProvider<PrometheusRegistry> registry) {
    GatewayMetrics metrics = new GatewayMetrics(gateway::counters);
    registry.ifAvailable(r -> r.register(metrics));
    return metrics;
  }

  /** Every route of every app that is not being deleted. */
  static List<AppRoute> routes(AppStore apps) {
    List<AppRoute> routes = new ArrayList<>();
    for (int page = 0; ; page++) {
      Page<App> p = apps.list("", null, page, 200);
      p.items().stream()
          .filter(a -> !a.deleting())
          .forEach(a -> a.spec().routes().forEach(r -> routes.add(new AppRoute(a.name(), r))));
      if ((long) (page + 1) * 200 >= p.total() || p.items().isEmpty()) {
        return routes;
      }
    }
  }
}
