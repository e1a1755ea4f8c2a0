package dev.berth.server.traffic;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Traffic settings ({@code berth.traffic.*}, e.g. {@code BERTH_TRAFFIC_DRAIN_TIMEOUT}).
 *
 * @param drainTimeout how long an instance taken out of traffic before a stop is given to finish
 *     its in-flight requests
 * @param dns the local cluster's DNS server
 */
@ConfigurationProperties("berth.traffic")
public record TrafficProperties(@DefaultValue("5s") Duration drainTimeout, @DefaultValue Dns dns) {

  /**
   * The DNS server of the local cluster, answering {@code <app>.<team>.berth} and {@code
   * <instance>.<app>.<team>.berth}.
   *
   * @param enabled whether Berth runs it (only with the local cluster)
   * @param address where it listens; empty: the local bridge's address, which containers reach
   * @param port its UDP and TCP port; containers' resolv.conf can only name port 53
   * @param ttl how long answers about Berth's names may be cached
   * @param forward whether other names go to the host's resolvers
   * @param upstreams the resolvers other names go to; empty: those of the host's resolv.conf
   */
  public record Dns(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("") String address,
      @DefaultValue("53") int port,
      @DefaultValue("5s") Duration ttl,
      @DefaultValue("true") boolean forward,
      @DefaultValue("") List<String> upstreams) {
    /**
     * Whether containers of the local cluster can use it: enabled, on the bridge's address, on port
     * 53 (the only port resolv.conf can name).
     */
    public boolean servesContainers() {
      return enabled && address.isBlank() && port == 53;
    }
  }
}
