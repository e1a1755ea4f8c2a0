package dev.berth.server.charts;

import dev.berth.core.metrics.Series;
import dev.berth.server.charts.ChartCatalog.Chart;
import dev.berth.server.charts.ChartCatalog.Kind;
import dev.berth.server.charts.ChartCatalog.Line;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the series a metric source returned into what the portal's chart draws: one shared time
 * axis (epoch seconds) and one value list per line, {@code null} where a line has no point.
 */
public final class ChartAssembly {
  /** A chart ready to draw; {@code unavailable} says why there is nothing to draw. */
  public record ChartJson(
      String id,
      String title,
      String unit,
      List<Long> x,
      List<Plotted> series,
      String unavailable) {
    public static ChartJson unavailable(Chart chart, String why) {
      return new ChartJson(chart.id(), chart.title(), chart.unit(), List.of(), List.of(), why);
    }
  }

  /** One drawn line; {@code kind} is {@code line} or {@code marks}. */
  public record Plotted(String label, String kind, List<Double> values) {}

  private record Drawn(String label, boolean marks, NavigableMap<Instant, Double> points) {}

  private ChartAssembly() {}

  /**
   * @param per the label naming each series (e.g. {@code instance})
   * @param byMetric every metric the chart's lines name, with its series
   */
  public static ChartJson assemble(Chart chart, String per, Map<String, List<Series>> byMetric) {
    List<Drawn> drawn = new ArrayList<>();
    for (Line line : chart.lines()) {
      List<Series> all = byMetric.getOrDefault(line.metric(), List.of());
      for (Series s : all) {
        List<Series> other =
            line.denominator() == null
                ? List.of()
                : byMetric.getOrDefault(line.denominator(), List.of());
        NavigableMap<Instant, Double> points =
            switch (line.kind()) {
              case VALUE -> points(s);
              case MARKS -> increases(points(s));
              case PERCENT -> percent(points(s), partner(other, s, per));
              case MINUS -> minus(points(s), partner(other, s, per));
            };
        drawn.add(
            new Drawn(
                label(s.labels().getOrDefault(per, ""), line, chart),
                line.kind() == Kind.MARKS,
                points));
      }
    }
    TreeSet<Instant> times = new TreeSet<>();
    drawn.forEach(d -> times.addAll(d.points().keySet()));
    List<Long> x = times.stream().map(Instant::getEpochSecond).toList();
    List<Plotted> series = new ArrayList<>();
    for (Drawn d : drawn) {
      List<Double> values = new ArrayList<>(times.size());
      times.forEach(t -> values.add(d.points().get(t)));
      series.add(new Plotted(d.label(), d.marks() ? "marks" : "line", values));
    }
    return new ChartJson(chart.id(), chart.title(), chart.unit(), x, series, null);
  }

  static NavigableMap<Instant, Double> points(Series s) {
    NavigableMap<Instant, Double> m = new TreeMap<>();
    s.points().forEach(p -> m.put(p.at(), p.value()));
    return m;
  }

  /** The points where a counter went up: its value there, nothing elsewhere. */
  static NavigableMap<Instant, Double> increases(NavigableMap<Instant, Double> counter) {
    NavigableMap<Instant, Double> m = new TreeMap<>();
    Double previous = null;
    for (Map.Entry<Instant, Double> e : counter.entrySet()) {
      if (previous != null && e.getValue() > previous) {
        m.put(e.getKey(), e.getValue());
      }
      previous = e.getValue();
    }
    return m;
  }

  /** 100 × value over the denominator's newest value at or before that time; none without one. */
  static NavigableMap<Instant, Double> percent(
      NavigableMap<Instant, Double> value, NavigableMap<Instant, Double> denominator) {
    NavigableMap<Instant, Double> m = new TreeMap<>();
    for (Map.Entry<Instant, Double> e : value.entrySet()) {
      Map.Entry<Instant, Double> d = near(denominator, e.getKey());
      if (d != null && d.getValue() > 0) {
        m.put(e.getKey(), 100.0 * e.getValue() / d.getValue());
      }
    }
    return m;
  }

  /** The value minus the other series' newest value at or before that time. */
  static NavigableMap<Instant, Double> minus(
      NavigableMap<Instant, Double> value, NavigableMap<Instant, Double> subtrahend) {
    NavigableMap<Instant, Double> m = new TreeMap<>();
    for (Map.Entry<Instant, Double> e : value.entrySet()) {
      Map.Entry<Instant, Double> d = near(subtrahend, e.getKey());
      if (d != null) {
        m.put(e.getKey(), e.getValue() - d.getValue());
      }
    }
    return m;
  }

  private static Map.Entry<Instant, Double> near(NavigableMap<Instant, Double> m, Instant t) {
    Map.Entry<Instant, Double> d = m.floorEntry(t);
    return d != null ? d : m.ceilingEntry(t);
  }

  /** The series among {@code candidates} measured on the same object as {@code of}. */
  private static NavigableMap<Instant, Double> partner(
      List<Series> candidates, Series of, String per) {
    String key = of.labels().get(per);
    return candidates.stream()
        .filter(c -> key == null || key.equals(c.labels().get(per)))
        .findFirst()
        .map(ChartAssembly::points)
        .orElseGet(TreeMap::new);
  }

  private static String label(String name, Line line, Chart chart) {
    String text = (name + " " + line.suffix()).trim();
    return text.isEmpty() ? chart.title() : text;
  }
}
