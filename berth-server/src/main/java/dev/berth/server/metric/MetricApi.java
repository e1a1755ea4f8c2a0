package dev.berth.server.metric;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Metrics for charts and alert rules: the names, the newest values, and ranges of history. Label
 * parameters ({@code cluster}, {@code node}, {@code app}, {@code instance}, {@code team}, {@code
 * task}, {@code run}, {@code mode}, {@code device}, {@code mountpoint}) select series by equality.
 */
@RestController
@RequestMapping("/api/v1/metrics")
@Tag(name = "metrics", description = "Host, instance and run metrics with history")
public class MetricApi {
  private final MetricOperations metrics;
  private final EmbeddedMetricStore store;
  private final MetricsProperties properties;
  private final Clock clock;

  public MetricApi(
      MetricOperations metrics,
      EmbeddedMetricStore store,
      MetricsProperties properties,
      Clock clock) {
    this.metrics = metrics;
    this.store = store;
    this.properties = properties;
    this.clock = clock;
  }

  /** One metric name and its kind. */
  public record NameJson(String name, String type) {}

  /** One newest value. */
  public record SampleJson(Map<String, String> labels, double value, Instant at) {}

  /** One series of a range: its labels and points as [epoch seconds, value]. */
  public record SeriesJson(Map<String, String> labels, List<double[]> points) {}

  /** A range answer. */
  public record RangeJson(
      String metric, Instant from, Instant to, String step, List<SeriesJson> series) {}

  @GetMapping
  @Operation(summary = "The metrics Berth measures (and any other it has series of)")
  public ListJson<NameJson> names() {
    TreeSet<String> all = new TreeSet<>(MetricNames.ALL);
    all.addAll(store.names());
    return ListJson.of(
        all.stream()
            .map(n -> new NameJson(n, MetricNames.isCounter(n) ? "counter" : "gauge"))
            .toList());
  }

  @GetMapping("/latest")
  @Operation(
      summary =
          "The newest value of each series of a metric matching the given labels (503 when its source is unavailable)")
  public ListJson<SampleJson> latest(
      @Parameter(description = "metric name, e.g. berth_node_conntrack_entries")
          @RequestParam(required = false)
          String metric,
      @Parameter(hidden = true) @RequestParam Map<String, String> params) {
    MetricQuery q = MetricQuery.read(params, false, clock.instant(), properties.interval());
    List<Sample> samples = metrics.latest(q);
    return ListJson.of(
        samples.stream().map(s -> new SampleJson(s.labels(), s.value(), s.at())).toList());
  }

  @GetMapping("/query")
  @Operation(
      summary =
          "A metric's series between from and to (default: the last hour), one point per step (default: 240 points); 503 when its source is unavailable")
  public RangeJson query(
      @Parameter(description = "metric name, e.g. berth_instance_memory_working_set_bytes")
          @RequestParam(required = false)
          String metric,
      @Parameter(description = "RFC 3339, epoch seconds, now or now-24h")
          @RequestParam(required = false)
          String from,
      @Parameter(description = "RFC 3339, epoch seconds or now") @RequestParam(required = false)
          String to,
      @Parameter(description = "15s, 5m, 1h") @RequestParam(required = false) String step,
      @Parameter(hidden = true) @RequestParam Map<String, String> params) {
    MetricQuery q = MetricQuery.read(params, true, clock.instant(), properties.interval());
    List<Series> series = metrics.range(q);
    return new RangeJson(
        q.metric(),
        q.from(),
        q.to(),
        format(q.step()),
        series.stream()
            .map(
                s ->
                    new SeriesJson(
                        s.labels(),
                        s.points().stream()
                            .map(p -> new double[] {p.at().toEpochMilli() / 1000.0, p.value()})
                            .toList()))
            .toList());
  }

  private static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
