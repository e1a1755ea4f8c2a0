package dev.berth.server.charts;

import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.Series;
import dev.berth.core.time.Scheduler;
import dev.berth.server.charts.ChartAssembly.ChartJson;
import dev.berth.server.charts.ChartCatalog.Chart;
import dev.berth.server.charts.ChartCatalog.Line;
import dev.berth.server.charts.ChartCatalog.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Reads the series of a chart from the metric source and assembles them. A source that is missing
 * or cannot answer makes the chart "unavailable" with the reason; it never fails the page.
 */
@Service
public class ChartData {
  private static final Logger LOG = LoggerFactory.getLogger(ChartData.class);
  private static final int POINTS = 240;
  private static final Duration MIN_STEP = Duration.ofSeconds(15);

  private final ObjectProvider<MetricSource> sources;
  private final Scheduler clock;

  public ChartData(ObjectProvider<MetricSource> sources, Scheduler clock) {
    this.sources = sources;
    this.clock = clock;
  }

  /** The time ranges a chart offers. */
  public static final Map<String, Duration> WINDOWS =
      Map.of(
          "1h", Duration.ofHours(1),
          "6h", Duration.ofHours(6),
          "24h", Duration.ofHours(24),
          "7d", Duration.ofDays(7));

  /** The step for a window: about {@value #POINTS} points, never below 15 s. */
  static Duration step(Duration window) {
    Duration step = window.dividedBy(POINTS);
    return step.compareTo(MIN_STEP) < 0 ? MIN_STEP : step;
  }

  /** One chart over the last {@code window}, or why it cannot be drawn. */
  public ChartJson chart(Scope scope, Chart chart, Map<String, String> match, Duration window) {
    MetricSource source = sources.getIfAvailable();
    if (source == null) {
      return ChartJson.unavailable(chart, "unavailable: no metric source is configured");
    }
    Instant to = clock.instant();
    Instant from = to.minus(window);
    try {
      Map<String, List<Series>> byMetric = new LinkedHashMap<>();
      for (Line line : chart.lines()) {
        byMetric.computeIfAbsent(
            line.metric(), m -> source.range(m, match, from, to, step(window)));
        if (line.denominator() != null) {
          byMetric.computeIfAbsent(
              line.denominator(), m -> source.range(m, match, from, to, step(window)));
        }
      }
      return ChartAssembly.assemble(chart, scope.per(), byMetric);
    } catch (RuntimeException e) {
      LOG.debug("chart {} of {} unavailable", chart.id(), match, e);
      return ChartJson.unavailable(chart, "unavailable: " + e.getMessage());
    }
  }
}
