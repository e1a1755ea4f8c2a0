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
      for (Series s : byMetric.getOrDefault(line.metric(), List.of())) {
        NavigableMap<Instant, Double> points =
            switch (line.kind()) {
              case VALUE -> points(s);
              case RATE -> rate(points(s));
              case MARKS -> increases(points(s));
              case PERCENT ->
                  percent(
                      points(s),
                      denominator(byMetric.getOrDefault(line.denominator(), List.of()), s, per));
            };
        drawn.add(new Drawn(label(s, per, line, chart), line.kind() == Kind.MARKS, points));
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

  /** A counter's increase per second between neighbouring points; a reset starts anew. */
  static NavigableMap<Instant, Double> rate(NavigableMap<Instant, Double> counter) {
    NavigableMap<Instant, Double> m = new TreeMap<>();
    Map.Entry<Instant, Double> previous = null;
    for (Map.Entry<Instant, Double> e : counter.entrySet()) {
      if (previous != null && e.getValue() >= previous.getValue()) {
        double seconds = (e.getKey().toEpochMilli() - previous.getKey().toEpochMilli()) / 1000.0;
        if (seconds > 0) {
          m.put(e.getKey(), (e.getValue() - previous.getValue()) / seconds);
        }
      }
      previous = e;
    }
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
      Map.Entry<Instant, Double> d = denominator.floorEntry(e.getKey());
      if (d == null) {
        d = denominator.ceilingEntry(e.getKey());
      }
      if (d != null && d.getValue() > 0) {
        m.put(e.getKey(), 100.0 * e.getValue() / d.getValue());
      }
    }
    return m;
  }

  private static NavigableMap<Instant, Double> denominator(
      List<Series> candidates, Series of, String per) {
    String key = of.labels().get(per);
    return candidates.stream()
        .filter(c -> key == null || key.equals(c.labels().get(per)))
        .findFirst()
        .map(ChartAssembly::points)
        .orElseGet(TreeMap::new);
  }

  private static String label(Series s, String per, Line line, Chart chart) {
    String name = s.labels().getOrDefault(per, "");
    String text = (name + " " + line.suffix()).trim();
    return text.isEmpty() ? chart.title() : text;
  }
}
