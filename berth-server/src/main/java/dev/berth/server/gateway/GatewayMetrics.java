package dev.berth.server.gateway;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.Supplier;

/**
 * The gateway's counters on {@code /actuator/prometheus}: {@code berth_gateway_requests_total{app,
 * instance, code}}, {@code berth_gateway_request_duration_seconds{app, instance}} (a histogram) and
 * {@code berth_gateway_mirrored_requests_total{app}}. Read from nginx at each scrape; they start
 * from zero when nginx restarts, as counters may.
 */
final class GatewayMetrics implements MultiCollector {
  private final Supplier<GatewayCounters> counters;

  GatewayMetrics(Supplier<GatewayCounters> counters) {
    this.counters = counters;
  }

  @Override
  public MetricSnapshots collect() {
    GatewayCounters c = counters.get();
    CounterSnapshot.Builder requests =
        CounterSnapshot.builder()
            .name("berth_gateway_requests")
            .help("Requests through the gateway by app, instance and status code");
    c.requests()
        .forEach(
            (k, v) ->
                requests.dataPoint(
                    CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(
                            Labels.of("app", k.app(), "code", k.code(), "instance", k.instance()))
                        .value(v)
                        .build()));
    HistogramSnapshot.Builder latency =
        HistogramSnapshot.builder()
            .name("berth_gateway_request_duration_seconds")
            .help(
                "Time from the first byte of a request to the last byte of its answer, through the gateway");
    c.latency()
        .forEach(
            (s, l) -> {
              ClassicHistogramBuckets.Builder b = ClassicHistogramBuckets.builder();
              long below = 0;
              for (int i = 0; i < GatewayCounters.BOUNDS.size(); i++) {
                String bound = GatewayCounters.BOUNDS.get(i);
                double upper =
                    bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                long cumulative = Math.max(below, l.buckets()[i]);
                b.bucket(upper, cumulative - below);
                below = cumulative;
              }
              latency.dataPoint(
                  HistogramSnapshot.HistogramDataPointSnapshot.builder()
                      .labels(Labels.of("app", s.app(), "instance", s.instance()))
                      .classicHistogramBuckets(b.build())
                      .sum(l.sum())
                      .build());
            });
    CounterSnapshot.Builder mirrored =
        CounterSnapshot.builder()
            .name("berth_gateway_mirrored_requests")
            .help("Copies of requests sent to a mirror target, by primary app");
    c.mirrored()
        .forEach(
            (app, v) ->
                mirrored.dataPoint(
                    CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("app", app))
                        .value(v)
                        .build()));
    return MetricSnapshots.of(requests.build(), latency.build(), mirrored.build());
  }
}
