package dev.berth.server.traffic;

import dev.berth.core.app.AppStore;
import dev.berth.core.traffic.Endpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.ResolverConfig;

/** How the local cluster's DNS server is put together from the settings. */
final class LocalDns {
  private LocalDns() {}

  /** Berth's names for the apps of {@code cluster}: serving instances only. */
  static DnsAnswers.Lookup lookup(AppStore apps, Discovery discovery, String cluster) {
    return (team, app, instance) ->
        apps.find(app)
            .filter(a -> a.team().equals(team) && a.cluster().equals(cluster))
            .flatMap(
                a -> {
                  List<String> ips =
                      discovery.serving(app).stream()
                          .filter(e -> instance == null || e.instance().equals(instance))
                          .map(Endpoint::ip)
                          .toList();
                  return instance != null && ips.isEmpty() ? Optional.empty() : Optional.of(ips);
                });
  }

  /** Where the server listens: the setting, else the first address of the bridge's subnet. */
  static InetSocketAddress address(TrafficProperties.Dns dns, String subnet) {
    String host = dns.address().isBlank() ? bridgeAddress(subnet) : dns.address();
    return new InetSocketAddress(host, dns.port());
  }

  /** The first host address of a subnet such as {@code 10.88.0.0/16}: the bridge's own. */
  static String bridgeAddress(String subnet) {
    try {
      byte[] a = InetAddress.getByName(subnet.substring(0, subnet.indexOf('/'))).getAddress();
      int prefix = Integer.parseInt(subnet.substring(subnet.indexOf('/') + 1));
      int ip = ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
      int network = prefix == 0 ? 0 : ip & (-1 << (32 - prefix));
      int gw = network + 1;
      return (gw >>> 24)
          + "."
          + ((gw >>> 16) & 0xff)
          + "."
          + ((gw >>> 8) & 0xff)
          + "."
          + (gw & 0xff);
    } catch (UnknownHostException | RuntimeException e) {
      throw new IllegalArgumentException("not an IPv4 subnet: " + subnet, e);
    }
  }

  /**
   * The resolvers other names go to: the setting, else the host's (its resolv.conf), never this
   * server itself; none when forwarding is off.
   */
  static List<String> upstreams(TrafficProperties.Dns dns, InetSocketAddress self) {
    if (!dns.forward()) {
      return List.of();
    }
    if (!dns.upstreams().isEmpty()) {
      return dns.upstreams();
    }
    List<String> out = new ArrayList<>();
    for (InetSocketAddress s : ResolverConfig.getCurrentConfig().servers()) {
      if (!s.equals(self)) {
        out.add(s.getAddress().getHostAddress() + ":" + s.getPort());
      }
    }
    return out;
  }
}
