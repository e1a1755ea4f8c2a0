package dev.berth.core.autoscale;

import java.util.List;

/**
 * Everything one evaluation looks at: the app's instance count now, a reading per metric, the
 * schedule windows at this moment, and whether a release is in progress ({@code release} names it,
 * null when none).
 */
public record Inputs(
    int current, List<Reading> readings, List<WindowState> windows, String release) {
  public Inputs {
    readings = readings == null ? List.of() : List.copyOf(readings);
    windows = windows == null ? List.of() : List.copyOf(windows);
  }
}
