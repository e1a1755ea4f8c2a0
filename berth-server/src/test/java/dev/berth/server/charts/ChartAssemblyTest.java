package dev.berth.server.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.Series;
import dev.berth.core.metrics.Series.Point;
import dev.berth.server.charts.ChartAssembly.ChartJson;
import dev.berth.server.charts.ChartAssembly.Plotted;
import dev.berth.server.charts.ChartCatalog.Scope;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartAssemblyTest {
  static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

  static Series series(String metric, Map<String, String> labels, double... values) {
    Point[] points = new Point[values.length];
    for (int i = 0; i < values.length; i++) {
      points[i] = new Point(T0.plusSeconds(15L * i), values[i]);
    }
    return new Series(metric, labels, Arrays.asList(points));
  }

  static ChartCatalog.Chart chart(Scope scope, String id) {
    return ChartCatalog.chart(scope, id).orElseThrow();
  }

  @Test
  void memoryChartDrawsEachInstancesWorkingSetAgainstItsLimitOnOneTimeAxis() {
    ChartJson c =
        ChartAssembly.assemble(
            chart(Scope.APP, "memory"),
            "instance",
            Map.of(
                MetricNames.INSTANCE_MEMORY_WORKING_SET,
                List.of(
                    series(
                        MetricNames.INSTANCE_MEMORY_WORKING_SET,
                        Map.of("instance", "web-0"),
                        10,
                        20,
                        30),
                    series(
                        MetricNames.INSTANCE_MEMORY_WORKING_SET, Map.of("instance", "web-1"), 5)),
                MetricNames.INSTANCE_MEMORY_LIMIT,
                List.of(
                    series(
                        MetricNames.INSTANCE_MEMORY_LIMIT,
                        Map.of("instance", "web-0"),
                        64,
                        64,
                        64))));

    assertThat(c.unavailable()).isNull();
    assertThat(c.x())
        .containsExactly(T0.getEpochSecond(), T0.getEpochSecond() + 15, T0.getEpochSecond() + 30);
    assertThat(c.series())
        .extracting(Plotted::label)
        .containsExactly("web-0 working set", "web-1 working set", "web-0 limit");
    assertThat(c.series().get(1).values()).containsExactly(5.0, null, null);
    assertThat(c.series().get(2).values()).containsExactly(64.0, 64.0, 64.0);
  }

  @Test
  void oomKillsAreMarksWhereTheCounterWentUpAndNothingElse() {
    ChartJson c =
        ChartAssembly.assemble(
            chart(Scope.APP, "restarts"),
            "instance",
            Map.of(
                MetricNames.INSTANCE_RESTARTS,
                List.of(
                    series(MetricNames.INSTANCE_RESTARTS, Map.of("instance", "hog-0"), 0, 1, 1)),
                MetricNames.INSTANCE_OOM_KILLS,
                List.of(
                    series(MetricNames.INSTANCE_OOM_KILLS, Map.of("instance", "hog-0"), 0, 1, 1))));

    Plotted marks = c.series().get(1);
    assertThat(marks.kind()).isEqualTo("marks");
    assertThat(marks.label()).isEqualTo("hog-0 OOM kill");
    assertThat(marks.values()).containsExactly(null, 1.0, null);
  }

  @Test
  void conntrackIsAShareOfTheLimitOfTheSameNode() {
    ChartJson c =
        ChartAssembly.assemble(
            chart(Scope.CLUSTER, "conntrack"),
            "node",
            Map.of(
                MetricNames.NODE_CONNTRACK_ENTRIES,
                List.of(
                    series(MetricNames.NODE_CONNTRACK_ENTRIES, Map.of("node", "a"), 100),
                    series(MetricNames.NODE_CONNTRACK_ENTRIES, Map.of("node", "b"), 100)),
                MetricNames.NODE_CONNTRACK_LIMIT,
                List.of(
                    series(MetricNames.NODE_CONNTRACK_LIMIT, Map.of("node", "b"), 400),
                    series(MetricNames.NODE_CONNTRACK_LIMIT, Map.of("node", "a"), 1000))));

    assertThat(c.series()).extracting(Plotted::label).containsExactly("a", "b");
    assertThat(c.series().get(0).values()).containsExactly(10.0);
    assertThat(c.series().get(1).values()).containsExactly(25.0);
  }

  @Test
  void nodeMemoryUsedIsTotalMinusAvailable() {
    ChartJson c =
        ChartAssembly.assemble(
            chart(Scope.NODE, "memory"),
            "node",
            Map.of(
                MetricNames.NODE_MEMORY_TOTAL,
                List.of(series(MetricNames.NODE_MEMORY_TOTAL, Map.of("node", "h"), 1000, 1000)),
                MetricNames.NODE_MEMORY_AVAILABLE,
                List.of(series(MetricNames.NODE_MEMORY_AVAILABLE, Map.of("node", "h"), 700, 600))));

    assertThat(c.series()).extracting(Plotted::label).containsExactly("h used", "h total");
    assertThat(c.series().get(0).values()).containsExactly(300.0, 400.0);
  }

  @Test
  void aKubernetesNodeWithOnlyAWorkingSetIsDrawnByIt() {
    ChartJson c =
        ChartAssembly.assemble(
            chart(Scope.CLUSTER, "memory"),
            "node",
            Map.of(
                MetricNames.NODE_MEMORY_WORKING_SET,
                List.of(series(MetricNames.NODE_MEMORY_WORKING_SET, Map.of("node", "k1"), 512))));

    assertThat(c.series()).extracting(Plotted::label).containsExactly("k1 working set");
  }

  @Test
  void aChartWithoutSeriesHasNoPointsAndIsNotUnavailable() {
    ChartJson c = ChartAssembly.assemble(chart(Scope.NODE, "pids"), "node", Map.of());

    assertThat(c.x()).isEmpty();
    assertThat(c.unavailable()).isNull();
  }

  @Test
  void everyPageHasItsCharts() {
    assertThat(ChartCatalog.charts(Scope.APP))
        .extracting(ChartCatalog.Chart::id)
        .containsExactly("cpu", "memory", "restarts", "pids");
    assertThat(ChartCatalog.charts(Scope.NODE))
        .extracting(ChartCatalog.Chart::id)
        .containsExactly("cpu", "memory", "conntrack", "pids", "images");
    assertThat(ChartCatalog.charts(Scope.CLUSTER))
        .extracting(ChartCatalog.Chart::id)
        .containsExactly("cpu", "memory", "conntrack", "pids", "images");
  }
}
