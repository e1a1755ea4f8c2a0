package dev.berth.server.gateway;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * nginx's request counters as the Lua log phase keeps them: requests per app, instance and status,
 * a cumulative latency histogram and sum per app and instance, copies sent per mirrored app. Pure.
 *
 * @param requests by {@link Key} and status code
 * @param latency by app and instance
 * @param mirrored copies sent, by app
 */
record GatewayCounters(
    Map<Key, Long> requests, Map<Series, Latency> latency, Map<String, Long> mirrored) {

  /** The upper bounds of the latency buckets, in seconds (the last is +Inf). */
  static final List<String> BOUNDS =
      List.of(
          "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf");

  record Key(String app, String instance, String code) {}

  record Series(String app, String instance) {}

  /** Cumulative counts per bound of {@link #BOUNDS}, and the sum of seconds. */
  record Latency(long[] buckets, double sum) {
    long count() {
      return buckets[buckets.length - 1];
    }

    Latency plus(Latency o) {
      long[] b = buckets.clone();
      for (int i = 0; i < b.length; i++) {
        b[i] += o.buckets[i];
      }
      return new Latency(b, sum + o.sum);
    }

    Latency minus(Latency o) {
      long[] b = buckets.clone();
      for (int i = 0; i < b.length; i++) {
        b[i] = Math.max(0, b[i] - o.buckets[i]);
      }
      return new Latency(b, Math.max(0, sum - o.sum));
    }

    /**
     * The p99 as the upper bound of the bucket it falls in; empty without requests or when it is
     * beyond the last finite bound.
     */
    Optional<Double> p99() {
      long total = count();
      if (total == 0) {
        return Optional.empty();
      }
      for (int i = 0; i < buckets.length - 1; i++) {
        if (buckets[i] >= Math.ceil(total * 0.99)) {
          return Optional.of(Double.parseDouble(BOUNDS.get(i)));
        }
      }
      return Optional.of(Double.POSITIVE_INFINITY);
    }

    static Latency empty() {
      return new Latency(new long[BOUNDS.size()], 0);
    }
  }

  static GatewayCounters parse(String dump) {
    Map<Key, Long> requests = new TreeMap<>(java.util.Comparator.comparing(Key::toString));
    Map<Series, Latency> latency = new TreeMap<>(java.util.Comparator.comparing(Series::toString));
    Map<String, Long> mirrored = new TreeMap<>();
    for (String line : dump.split("\n")) {
      String[] f = line.split("\t");
      try {
        switch (f[0]) {
          case "r" -> requests.put(new Key(f[1], f[2], f[3]), (long) Double.parseDouble(f[4]));
          case "b" -> {
            int i = BOUNDS.indexOf(f[3]);
            if (i >= 0) {
              latency.computeIfAbsent(new Series(f[1], f[2]), s -> Latency.empty()).buckets[i] =
                  (long) Double.parseDouble(f[4]);
            }
          }
          case "s" -> {
            Series s = new Series(f[1], f[2]);
            Latency l = latency.getOrDefault(s, Latency.empty());
            latency.put(s, new Latency(l.buckets(), Double.parseDouble(f[3])));
          }
          case "m" -> mirrored.put(f[1], (long) Double.parseDouble(f[2]));
          default -> {}
        }
      } catch (RuntimeException e) {
        // a line cut short or from another version of the module: skipped
      }
    }
    return new GatewayCounters(requests, latency, mirrored);
  }

  /** The app's latency over all its instances. */
  Latency of(String app) {
    return latency.entrySet().stream()
        .filter(e -> e.getKey().app().equals(app))
        .map(Map.Entry::getValue)
        .reduce(Latency.empty(), Latency::plus);
  }

  long requestsOf(String app) {
    return requests.entrySet().stream()
        .filter(e -> e.getKey().app().equals(app))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
