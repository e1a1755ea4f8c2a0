package dev.berth.runtime.local.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.Sample;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuRatesTest {
  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  static final Map<String, String> WEB = Map.of("app", "web", "instance", "web-0");
  static final Map<String, String> NODE = Map.of("cluster", "local", "node", "n");

  static List<Sample> pass(Instant at, double instanceSeconds, double user, double idle) {
    return List.of(
        new Sample(MetricNames.INSTANCE_CPU_SECONDS, WEB, instanceSeconds, at),
        new Sample(
            MetricNames.NODE_CPU_SECONDS,
            Map.of("cluster", "local", "node", "n", "mode", "user"),
            user,
            at),
        new Sample(
            MetricNames.NODE_CPU_SECONDS,
            Map.of("cluster", "local", "node", "n", "mode", "idle"),
            idle,
            at));
  }

  static double usage(List<Sample> samples, String name) {
    return samples.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().value();
  }

  @Test
  void usageIsTheRateOfCpuSecondsBetweenTwoPassesWithoutIdleTime() {
    CpuRates rates = new CpuRates();
    assertThat(rates.withUsage(pass(T0, 10, 100, 1000)))
        .extracting(Sample::name)
        .doesNotContain(MetricNames.INSTANCE_CPU_USAGE, MetricNames.NODE_CPU_USAGE);

    List<Sample> second = rates.withUsage(pass(T0.plusSeconds(15), 13, 115, 1015));

    assertThat(usage(second, MetricNames.INSTANCE_CPU_USAGE)).isCloseTo(0.2, within(1e-9));
    assertThat(usage(second, MetricNames.NODE_CPU_USAGE)).isCloseTo(1.0, within(1e-9));
    assertThat(
            second.stream()
                .filter(s -> s.name().equals(MetricNames.NODE_CPU_USAGE))
                .findFirst()
                .orElseThrow()
                .labels())
        .isEqualTo(NODE);
  }

  @Test
  void aCounterThatWentDownStartsOverWithoutANegativeRate() {
    CpuRates rates = new CpuRates();
    rates.withUsage(pass(T0, 10, 100, 1000));

    List<Sample> restarted = rates.withUsage(pass(T0.plusSeconds(15), 0.5, 115, 1015));
    List<Sample> next = rates.withUsage(pass(T0.plusSeconds(30), 2, 130, 1030));

    assertThat(restarted).extracting(Sample::name).doesNotContain(MetricNames.INSTANCE_CPU_USAGE);
    assertThat(usage(next, MetricNames.INSTANCE_CPU_USAGE)).isCloseTo(0.1, within(1e-9));
  }
}
