package dev.berth.server.gateway;

import dev.berth.core.traffic.Endpoint;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the gateway's shared dictionary should hold: for each {@code app.port} upstream, the ready
 * instances with their weights as {@code "web-0 10.0.0.2:8080 100,web-1 10.0.0.3:8080 30"}. Pure.
 */
final class EndpointTable {
  private EndpointTable() {}

  /** The values for {@code upstreams} (app and port name each), from each app's endpoints. */
  static Map<String, String> of(
      Map<String, String> upstreams, Function<String, List<Endpoint>> endpointsOf) {
    Map<String, String> table = new TreeMap<>();
    Map<String, List<Endpoint>> seen = new LinkedHashMap<>();
    upstreams.forEach(
        (key, appAndPort) -> {
          String app = appAndPort.substring(0, appAndPort.indexOf('/'));
          String port = appAndPort.substring(appAndPort.indexOf('/') + 1);
          List<Endpoint> eps = seen.computeIfAbsent(app, endpointsOf);
          table.put(
              key,
              eps.stream()
                  .filter(Endpoint::serving)
                  .filter(e -> e.ip() != null && e.ports().containsKey(port))
                  .sorted(Comparator.comparing(Endpoint::instance))
                  .map(
                      e ->
                          e.instance()
                              + " "
                              + e.ip()
                              + ":"
                              + e.ports().get(port)
                              + " "
                              + e.weight())
                  .collect(Collectors.joining(",")));
        });
    return table;
  }

  /**
   * The lines to send so that {@code actual} becomes {@code desired}: {@code key=value} for what
   * differs, {@code key=} for what must go. Empty when they agree.
   */
  static String diff(Map<String, String> desired, Map<String, String> actual) {
    StringBuilder b = new StringBuilder();
    desired.forEach(
        (k, v) -> {
          if (!v.equals(actual.getOrDefault(k, ""))) {
            b.append(k).append('=').append(v).append('\n');
          }
        });
    actual.forEach(
        (k, v) -> {
          if (!desired.containsKey(k) && !v.isEmpty()) {
            b.append(k).append("=\n");
          }
        });
    return b.toString();
  }

  /**
   * {@code desired}, except that an upstream nginx still serves is not emptied. Right after Berth
   * starts, the local runtime gives an adopted container the readiness it had before, but not every
   * instance can keep one (a record written by an older Berth, a container whose shim changed, a
   * runtime still listing its instances); until their readiness was probed again an empty list
   * would fail every request, while the old one still reaches running instances.
   */
  static Map<String, String> keepServing(Map<String, String> desired, Map<String, String> actual) {
    Map<String, String> kept = new TreeMap<>(desired);
    actual.forEach(
        (k, v) -> {
          if (!v.isEmpty() && kept.getOrDefault(k, "").isEmpty()) {
            kept.put(k, v);
          }
        });
    return kept;
  }
}
