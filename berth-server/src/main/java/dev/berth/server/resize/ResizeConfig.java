package dev.berth.server.resize;

import dev.berth.core.app.AppService;
import dev.berth.core.app.AppStore;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.control.WorkQueue;
import dev.berth.core.release.AppLocks;
import dev.berth.core.release.LiveResize;
import dev.berth.core.release.ReleaseStore;
import dev.berth.server.access.Access;
import dev.berth.server.app.AppOperations;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.event.EventService;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires live resizes: core's {@link LiveResize} under the app locks the releases use. */
@Configuration(proxyBeanMethods = false)
public class ResizeConfig {
  @Bean
  LiveResize liveResize(
      AppStore apps,
      AppService service,
      ReleaseStore releases,
      ClusterRegistry clusters,
      AppLocks locks,
      EventService events,
      Clock clock,
      WorkQueue appQueue) {
    return new LiveResize(
        new LiveResize.Parts(
            apps, service, releases, clusters, locks, events, clock, appQueue::enqueue));
  }

  @Bean
  ResizeOperations resizeOperations(
      LiveResize resizes, AppOperations apps, Access access, AuditLog audit) {
    return new ResizeOperations(resizes, apps, access, audit);
  }
}
