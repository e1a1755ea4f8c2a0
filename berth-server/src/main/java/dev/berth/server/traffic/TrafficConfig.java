package dev.berth.server.traffic;

import dev.berth.core.app.AppStore;
import dev.berth.core.time.Scheduler;
import dev.berth.core.traffic.InstanceTraffic;
import dev.berth.server.cluster.Clusters;
import dev.berth.server.config.BerthProperties;
import java.net.InetSocketAddress;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;

/**
 * Wires traffic: the stored switch is the {@link InstanceTraffic} of this Berth. It is the primary
 * bean, so it wins over a {@link InstanceTraffic#NONE} default declared elsewhere. With the local
 * cluster and {@code berth.traffic.dns.enabled} (the default) the DNS server for {@code
 * <app>.<team>.berth} starts once Berth is ready.
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

  @Bean(destroyMethod = "close")
  BerthDns berthDns(
      BerthProperties berth, TrafficProperties traffic, AppStore apps, Discovery discovery) {
    TrafficProperties.Dns dns = traffic.dns();
    InetSocketAddress address = LocalDns.address(dns, berth.local().subnet());
    return new BerthDns(
        address,
        LocalDns.lookup(apps, discovery, Clusters.LOCAL),
        dns.ttl(),
        LocalDns.upstreams(dns, address));
  }

  /**
   * Starts the DNS server once the clusters are up (the local runtime has made its bridge), and
   * puts every stored traffic mark back where a runtime holds it too.
   */
  @EventListener(ApplicationReadyEvent.class)
  public void start(ApplicationReadyEvent ready) {
    var ctx = ready.getApplicationContext();
    BerthProperties berth = ctx.getBean(BerthProperties.class);
    TrafficProperties traffic = ctx.getBean(TrafficProperties.class);
    if (berth.local().enabled() && traffic.dns().enabled()) {
      ctx.getBean(BerthDns.class).start();
    }
    Discovery discovery = ctx.getBean(Discovery.class);
    ctx.getBean(JdbcTrafficStore.class).all().stream()
        .map(TrafficMark::app)
        .distinct()
        .forEach(discovery::align);
  }
}
