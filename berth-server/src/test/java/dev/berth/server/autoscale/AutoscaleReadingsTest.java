package dev.berth.server.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.App;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Resources;
import dev.berth.core.autoscale.MetricTarget;
import dev.berth.core.autoscale.Reading;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.MetricsUnavailableException;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import dev.berth.core.release.InstancePhase;
import dev.berth.core.release.InstanceProgress;
import dev.berth.core.release.Release;
import dev.berth.core.release.ReleaseState;
import dev.berth.core.release.ReleaseStrategy;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import dev.berth.server.autoscale.AutoscaleReadings.Counted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the autoscaler reads: CPU in percent of the guaranteed CPU from counter rates, a counted
 * instance without samples or a source that does not answer as a missing value with its reason, p95
 * from histogram buckets, and which instances a release leaves out of the average.
 */
class AutoscaleReadingsTest {
  static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

  /** Answers ranges and latest samples from lists the test fills; may be told to fail. */
  static final class Source implements MetricSource {
    final List<Series> series = new ArrayList<>();
    final List<Sample> samples = new ArrayList<>();
    boolean down;

    @Override
    public List<Sample> latest(String metric, Map<String, String> match) {
      check();
      return samples.stream().filter(s -> s.name().equals(metric)).toList();
    }

    @Override
    public List<Series> range(
        String metric, Map<String, String> match, Instant from, Instant to, Duration step) {
      check();
      return series.stream().filter(s -> s.name().equals(metric)).toList();
    }

    private void check() {
      if (down) {
        throw new MetricsUnavailableException("Prometheus at 127.0.0.1:9 refused", null);
      }
    }

    void counter(String name, Map<String, String> labels, double first, double last) {
      series.add(
          new Series(
              name,
              labels,
              List.of(new Series.Point(NOW.minusSeconds(60), first), new Series.Point(NOW, last))));
    }
  }

  static App app(int instances) {
    AppSpec spec =
        new AppSpec(
            "reg/web:1",
            null,
            null,
            null,
            null,
            new Resources(0.5, 0, 256, CpuPolicy.SHARES, 0),
            null,
            null);
    return App.builder()
        .name("web")
        .team("default")
        .cluster("local")
        .spec(spec)
        .instances(instances)
        .build();
  }

  static Instance instance(int ordinal, InstanceState state) {
    return new Instance(
        "web-" + ordinal,
        "web",
        ordinal,
        "n",
        "10.0.0." + ordinal,
        null,
        1,
        state,
        true,
        0,
        null,
        NOW,
        true,
        "");
  }

  final Source source = new Source();
  final AutoscaleReadings readings = new AutoscaleReadings(source, Duration.ofSeconds(60));
  final MetricTarget cpu = MetricTarget.cpu(50);

  @Test
  void cpuIsTheRateOfCpuSecondsInPercentOfTheGuaranteedCpu() {
    // web-0 used 30 s of CPU in 60 s (0.5 cores = 100 % of 0.5), web-1 15 s (50 %)
    source.counter(
        "berth_instance_cpu_seconds_total", Map.of("app", "web", "instance", "web-0"), 100, 130);
    source.counter(
        "berth_instance_cpu_seconds_total", Map.of("app", "web", "instance", "web-1"), 10, 25);
    Reading r = readings.read(cpu, app(2), new Counted(List.of("web-0", "web-1"), List.of()), NOW);
    assertThat(r.value()).isEqualTo(75.0);
    assertThat(r.counted()).isEqualTo(2);
  }

  @Test
  void anInstanceWithoutSamplesOrASourceThatIsDownIsMissingDataWithItsReason() {
    source.counter(
        "berth_instance_cpu_seconds_total", Map.of("app", "web", "instance", "web-0"), 100, 130);
    Reading fresh =
        readings.read(cpu, app(2), new Counted(List.of("web-0", "web-1"), List.of()), NOW);
    assertThat(fresh.present()).isFalse();
    assertThat(fresh.missing()).isEqualTo("instance web-1 has no CPU samples yet");

    source.down = true;
    Reading down = readings.read(cpu, app(1), new Counted(List.of("web-0"), List.of()), NOW);
    assertThat(down.present()).isFalse();
    assertThat(down.missing()).contains("does not answer", "refused");
  }

  @Test
  void withoutACounterTheCoresInUseCount() {
    source.samples.add(
        new Sample(
            "berth_instance_cpu_usage_cores",
            Map.of("app", "web", "instance", "web-0"),
            0.25,
            NOW));
    Reading r = readings.read(cpu, app(1), new Counted(List.of("web-0"), List.of()), NOW);
    assertThat(r.value()).isEqualTo(50.0);
  }

  @Test
  void p95ComesFromTheGatewaysHistogramBuckets() {
    // 100 requests a minute: 90 under 0.1 s, 8 more under 0.5 s, 2 more under 1 s
    String b = "berth_gateway_request_duration_seconds_bucket";
    source.counter(b, Map.of("app", "web", "le", "0.1"), 0, 90);
    source.counter(b, Map.of("app", "web", "le", "0.5"), 0, 98);
    source.counter(b, Map.of("app", "web", "le", "1"), 0, 100);
    source.counter(b, Map.of("app", "web", "le", "+Inf"), 0, 100);
    MetricTarget p95 = new MetricTarget(MetricTarget.P95, null, 200.0, null, null);
    Reading r = readings.read(p95, app(1), new Counted(List.of("web-0"), List.of()), NOW);
    // rank 95 of 100 lies 5/8 into the 0.1–0.5 s bucket: 0.35 s
    assertThat(r.value()).isCloseTo(350.0, org.assertj.core.data.Offset.offset(0.001));

    MetricTarget rps = new MetricTarget(MetricTarget.REQUESTS, null, 10.0, null, null);
    source.counter("berth_gateway_requests_total", Map.of("app", "web"), 0, 1200);
    Reading perInstance =
        readings.read(rps, app(2), new Counted(List.of("web-0", "web-1"), List.of()), NOW);
    assertThat(perInstance.value()).isEqualTo(10.0);
  }

  @Test
  void aReleaseLeavesItsBastionAndInstancesBeingReplacedOutOfTheAverage() {
    List<Instance> all =
        List.of(
            instance(0, InstanceState.RUNNING),
            instance(1, InstanceState.RUNNING),
            instance(2, InstanceState.RUNNING),
            instance(3, InstanceState.PENDING));
    Release bastion = release(0, new InstanceProgress(2, "web-2", InstancePhase.UPDATED, NOW));
    Counted c = AutoscaleController.counted(app(4), all, bastion);
    assertThat(c.ids()).containsExactly("web-0", "web-1");
    assertThat(c.leftOut()).containsExactly("web-2 (the release's bastion)", "web-3 (pending)");

    Release batch = release(1, new InstanceProgress(1, "web-1", InstancePhase.UPDATING, NOW));
    Counted later = AutoscaleController.counted(app(4), all, batch);
    assertThat(later.ids()).containsExactly("web-0", "web-2");
    assertThat(later.leftOut()).contains("web-1 (updating in the release)");
  }

  static Release release(int batch, InstanceProgress progress) {
    return new Release(
        7,
        "web",
        1,
        2,
        ReleaseStrategy.DEFAULT,
        ReleaseState.PROGRESSING,
        batch,
        List.of(),
        List.of(progress),
        List.of(),
        "",
        "",
        "me",
        NOW,
        NOW,
        null,
        1);
  }
}
