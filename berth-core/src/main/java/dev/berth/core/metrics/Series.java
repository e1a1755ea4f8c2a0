package dev.berth.core.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The values of one series over a time range, oldest first. */
public record Series(String name, Map<String, String> labels, List<Point> points) {
  public Series {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    points = List.copyOf(points);
  }

  /** One value at one time. */
  public record Point(Instant at, double value) {}
}
