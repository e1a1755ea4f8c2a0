package dev.berth.server.release;

import dev.berth.core.app.AppService;
import dev.berth.core.app.AppStore;
import dev.berth.core.control.WorkQueue;
import dev.berth.core.release.AppLocks;
import dev.berth.core.release.ReleaseController;
import dev.berth.core.release.ReleaseService;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.support.TeamImagePolicy;
import dev.berth.core.traffic.InstanceTraffic;
import dev.berth.server.event.EventService;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires releases: the release controller (which the app controller asks first on every pass), the
 * release service with its controls, the per-app locks they share, and the traffic switch (none
 * until a traffic layer supplies its own {@link InstanceTraffic}).
 */
@Configuration(proxyBeanMethods = false)
public class ReleaseConfig {
  @Bean
  AppLocks appLocks() {
    return new AppLocks();
  }

  @Bean
  @ConditionalOnMissingBean
  InstanceTraffic instanceTraffic() {
    return InstanceTraffic.NONE;
  }

  @Bean
  ReleaseController releaseController(
      ReleaseStore releases,
      AppStore apps,
      InstanceTraffic traffic,
      EventService events,
      AppLocks locks) {
    return new ReleaseController(releases, apps, traffic, events, locks);
  }

  @Bean
  ReleaseService releaseService(
      AppService apps,
      AppStore store,
      ReleaseStore releases,
      EventService events,
      Clock clock,
      WorkQueue appQueue,
      AppLocks locks,
      TeamImagePolicy images) {
    return new ReleaseService(
        apps, store, releases, events, clock, appQueue::enqueue, locks, images);
  }
}
