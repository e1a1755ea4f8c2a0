package dev.berth.server.charts;

import static dev.berth.core.metrics.MetricNames.*;

import java.util.List;
import java.util.Optional;

/**
 * Which charts each portal page shows and what each one plots: the app and instance pages CPU,
 * memory against its limit, restarts with OOM-kill marks and processes against the limit; the node
 * and cluster pages CPU, memory, conntrack, processes and image storage (the last three as a share
 * of their limit). CPU is the collectors' gauge of cores in use; a node's memory in use is its
 * total minus what is available (the host's own reading) or the working set ({@code
 * metrics.k8s.io}), whichever the cluster has.
 */
public final class ChartCatalog {
  /** Where a chart is shown; {@link #per} is the label naming each plotted series. */
  public enum Scope {
    APP("instance"),
    INSTANCE("instance"),
    NODE("node"),
    CLUSTER("node");

    private final String per;

    Scope(String per) {
      this.per = per;
    }

    public String per() {
      return per;
    }
  }

  /** How a line is drawn from its series. */
  public enum Kind {
    /** The values as recorded. */
    VALUE,
    /** The metric minus {@link Line#denominator} (memory total minus available: used). */
    MINUS,
    /** 100 × the metric over {@link Line#denominator}, paired by the scope's label. */
    PERCENT,
    /** A point where a counter went up (an OOM kill), nothing in between. */
    MARKS
  }

  /** One line (or set of marks) of a chart: {@code suffix} follows the series' own name. */
  public record Line(String suffix, String metric, Kind kind, String denominator) {
    static Line of(String suffix, String metric, Kind kind) {
      return new Line(suffix, metric, kind, null);
    }

    static Line percent(String metric, String denominator) {
      return new Line("", metric, Kind.PERCENT, denominator);
    }

    static Line minus(String suffix, String metric, String subtrahend) {
      return new Line(suffix, metric, Kind.MINUS, subtrahend);
    }
  }

  /** A chart: its id in the page, title, unit ({@code cores}, {@code bytes}, {@code %}, ...). */
  public record Chart(String id, String title, String unit, List<Line> lines) {}

  private static final List<Chart> INSTANCE_CHARTS =
      List.of(
          new Chart("cpu", "CPU", "cores", List.of(Line.of("", INSTANCE_CPU_USAGE, Kind.VALUE))),
          new Chart(
              "memory",
              "Memory against limit",
              "bytes",
              List.of(
                  Line.of("working set", INSTANCE_MEMORY_WORKING_SET, Kind.VALUE),
                  Line.of("limit", INSTANCE_MEMORY_LIMIT, Kind.VALUE))),
          new Chart(
              "restarts",
              "Restarts and OOM kills",
              "count",
              List.of(
                  Line.of("restarts", INSTANCE_RESTARTS, Kind.VALUE),
                  Line.of("OOM kill", INSTANCE_OOM_KILLS, Kind.MARKS))),
          new Chart(
              "pids",
              "Processes against limit",
              "%",
              List.of(Line.percent(INSTANCE_PIDS, INSTANCE_PIDS_LIMIT))));

  private static final List<Chart> NODE_CHARTS =
      List.of(
          new Chart(
              "cpu",
              "CPU",
              "cores",
              List.of(
                  Line.of("used", NODE_CPU_USAGE, Kind.VALUE),
                  Line.of("CPUs", NODE_CPUS, Kind.VALUE))),
          new Chart(
              "memory",
              "Memory",
              "bytes",
              List.of(
                  Line.minus("used", NODE_MEMORY_TOTAL, NODE_MEMORY_AVAILABLE),
                  Line.of("working set", NODE_MEMORY_WORKING_SET, Kind.VALUE),
                  Line.of("total", NODE_MEMORY_TOTAL, Kind.VALUE))),
          new Chart(
              "conntrack",
              "Conntrack entries against limit",
              "%",
              List.of(Line.percent(NODE_CONNTRACK_ENTRIES, NODE_CONNTRACK_LIMIT))),
          new Chart(
              "pids",
              "Threads against pid_max",
              "%",
              List.of(Line.percent(NODE_THREADS, NODE_PID_MAX))),
          new Chart(
              "images",
              "Image storage",
              "%",
              List.of(Line.percent(NODE_IMAGE_STORE_USED, NODE_IMAGE_STORE_SIZE))));

  private static final List<Chart> CLUSTER_CHARTS =
      List.of(
          new Chart(
              "cpu", "CPU per node", "cores", List.of(Line.of("", NODE_CPU_USAGE, Kind.VALUE))),
          new Chart(
              "memory",
              "Memory used per node",
              "bytes",
              List.of(
                  Line.minus("", NODE_MEMORY_TOTAL, NODE_MEMORY_AVAILABLE),
                  Line.of("working set", NODE_MEMORY_WORKING_SET, Kind.VALUE))),
          NODE_CHARTS.get(2),
          NODE_CHARTS.get(3),
          NODE_CHARTS.get(4));

  private ChartCatalog() {}

  /** The charts of a page, in the order shown. */
  public static List<Chart> charts(Scope scope) {
    return switch (scope) {
      case APP, INSTANCE -> INSTANCE_CHARTS;
      case NODE -> NODE_CHARTS;
      case CLUSTER -> CLUSTER_CHARTS;
    };
  }

  public static Optional<Chart> chart(Scope scope, String id) {
    return charts(scope).stream().filter(c -> c.id().equals(id)).findFirst();
  }
}
