package dev.berth.server.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.MetricsUnavailableException;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import dev.berth.core.time.ManualScheduler;
import dev.berth.server.charts.ChartAssembly.ChartJson;
import dev.berth.server.charts.ChartCatalog.Scope;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/** A chart whose metric source is down or missing says "unavailable" instead of failing. */
class ChartDataTest {
  final ManualScheduler clock = new ManualScheduler();

  ChartData withSource(MetricSource source) {
    DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    if (source != null) {
      beans.registerSingleton("metrics", source);
    }
    return new ChartData(beans.getBeanProvider(MetricSource.class), clock);
  }

  static final MetricSource DOWN =
      new MetricSource() {
        @Override
        public List<Sample> latest(String metric, Map<String, String> match) {
          throw down();
        }

        @Override
        public List<Series> range(
            String metric, Map<String, String> match, Instant from, Instant to, Duration step) {
          throw down();
        }

        private MetricsUnavailableException down() {
          return new MetricsUnavailableException(
              "Prometheus at http://127.0.0.1:1 does not answer",
              new ConnectException("Connection refused"));
        }
      };

  @Test
  void aSourceThatIsDownMakesTheChartUnavailableWithTheReason() {
    ChartJson c =
        withSource(DOWN)
            .chart(
                Scope.NODE,
                ChartCatalog.chart(Scope.NODE, "conntrack").orElseThrow(),
                Map.of("cluster", "local", "node", "h"),
                Duration.ofHours(1));

    assertThat(c.unavailable())
        .isEqualTo("unavailable: Prometheus at http://127.0.0.1:1 does not answer");
    assertThat(c.series()).isEmpty();
  }

  @Test
  void noSourceAtAllIsUnavailableToo() {
    ChartJson c =
        withSource(null)
            .chart(
                Scope.APP,
                ChartCatalog.chart(Scope.APP, "memory").orElseThrow(),
                Map.of("app", "web"),
                Duration.ofHours(1));

    assertThat(c.unavailable()).isEqualTo("unavailable: no metric source is configured");
  }

  @Test
  void theStepGivesAboutTwoHundredFortyPointsAndNeverLessThanFifteenSeconds() {
    assertThat(ChartData.step(Duration.ofHours(24))).isEqualTo(Duration.ofMinutes(6));
    assertThat(ChartData.step(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(15));
  }
}
