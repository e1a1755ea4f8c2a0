package dev.berth.server.autoscale;

import dev.berth.core.autoscale.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small SVG chart of the decisions, oldest left: the instance count decided (a step line), what
 * the metrics alone asked for (a dashed line; gaps where no metric could be read), and a mark on
 * every change of count, titled with its rule and reason.
 */
public record AutoscaleChart(
    int width, int height, String instances, String metric, List<Mark> marks, int top) {
  static final int W = 600;
  static final int H = 140;
  static final int PAD = 10;

  /** A change of count: where, and what to say on hover. */
  public record Mark(double x, double y, String title) {}

  static AutoscaleChart of(List<Decision> newestFirst, int max) {
    List<Decision> d = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(d);
    int top = Math.max(1, max);
    for (Decision x : d) {
      top = Math.max(top, x.metricDesired() == null ? 0 : x.metricDesired());
      top = Math.max(top, x.desired());
    }
    StringBuilder inst = new StringBuilder();
    StringBuilder met = new StringBuilder();
    List<Mark> marks = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      Decision x = d.get(i);
      double px = d.size() == 1 ? W / 2.0 : PAD + (W - 2.0 * PAD) * i / (d.size() - 1);
      double py = y(x.desired(), top);
      inst.append(fmt(px)).append(',').append(fmt(py)).append(' ');
      if (x.metricDesired() != null) {
        met.append(fmt(px)).append(',').append(fmt(y(x.metricDesired(), top))).append(' ');
      }
      if (x.changes()) {
        marks.add(
            new Mark(
                px,
                py,
                x.at()
                    + ": "
                    + x.current()
                    + " → "
                    + x.desired()
                    + " ("
                    + x.rule()
                    + ") "
                    + x.reason()));
      }
    }
    return new AutoscaleChart(W, H, inst.toString().trim(), met.toString().trim(), marks, top);
  }

  private static double y(int count, int top) {
    return H - PAD - (H - 2.0 * PAD) * count / top;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
