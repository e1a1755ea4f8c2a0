package dev.berth.server.traffic;

import dev.berth.core.time.Scheduler;
import dev.berth.core.traffic.InstanceTraffic;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Wires traffic: the stored switch is the {@link InstanceTraffic} of this Berth. It is the primary
 * bean, so it wins over a {@link InstanceTraffic#NONE} default declared elsewhere.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TrafficProperties.class)
public class TrafficConfig {
  @Bean
  @Primary
  TrafficSwitch trafficSwitch(
      JdbcTrafficStore store,
      Discovery discovery,
      Scheduler scheduler,
      TrafficProperties properties) {
    return new TrafficSwitch(store, discovery, scheduler, properties.drainTimeout());
  }
}
