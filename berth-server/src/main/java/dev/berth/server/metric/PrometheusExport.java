package dev.berth.server.metric;

import dev.berth.core.metrics.MetricNames;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts the newest value of every fresh series of the embedded store on {@code
 * /actuator/prometheus}, next to Micrometer's own meters, so an existing Prometheus can scrape
 * Berth: one family per metric name, {@code _total} names as counters, the rest as gauges, with the
 * series' labels ({@code cluster}, {@code node}, {@code app}, {@code instance}, {@code team}, …). A
 * series whose newest sample is older than the store's staleness (an instance gone) is left out.
 */
public final class PrometheusExport implements MultiCollector {
  private final EmbeddedMetricStore store;
  private final InstantSource clock;

  public PrometheusExport(EmbeddedMetricStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public MetricSnapshots collect() {
    Instant oldest = clock.instant().minus(store.staleness());
    Map<String, List<StoredSeries>> byName = new TreeMap<>();
    for (StoredSeries s : store.all()) {
      Instant at = s.lastAt();
      if (at != null && !at.isBefore(oldest)) {
        byName.computeIfAbsent(s.name, n -> new ArrayList<>()).add(s);
      }
    }
    List<MetricSnapshot> families = new ArrayList<>();
    byName.forEach((name, series) -> families.add(family(name, series)));
    return new MetricSnapshots(families);
  }

  private static Labels labels(Map<String, String> labels) {
    List<String> names = new ArrayList<>(labels.keySet());
    return Labels.of(names, names.stream().map(labels::get).toList());
  }

  private static MetricSnapshot family(String name, List<StoredSeries> series) {
    if (MetricNames.isCounter(name)) {
      CounterSnapshot.Builder b =
          CounterSnapshot.builder().name(name.substring(0, name.length() - "_total".length()));
      for (StoredSeries s : series) {
        b.dataPoint(
            CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(labels(s.labels))
                .value(s.lastValue())
                .build());
      }
      return b.build();
    }
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name);
    for (StoredSeries s : series) {
      b.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(labels(s.labels))
              .value(s.lastValue())
              .build());
    }
    return b.build();
  }
}
