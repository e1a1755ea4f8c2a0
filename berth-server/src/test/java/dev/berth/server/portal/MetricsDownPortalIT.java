package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.berth.core.metrics.MetricSource;
import dev.berth.server.metric.PrometheusSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The portal when the metric source is down: Berth reads its metrics from a Prometheus at a
 * loopback port where nothing listens. Every chart says "unavailable" with the reason, the Nodes
 * page still lists the node with requested and allocatable (used is "–"), the node page shows its
 * headroom without measurements, and an inspection reports the measurements as unavailable.
 */
class MetricsDownPortalIT {
  static PortalFixture fixture;

  /** Berth's own Prometheus client, aimed at a port nothing listens on. */
  static class DeadPrometheus {
    @Bean
    @Primary
    MetricSource metrics() throws IOException {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      return new PrometheusSource(
          URI.create("http://127.0.0.1:" + port),
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
          Duration.ofSeconds(2));
    }
  }

  @BeforeAll
  static void start() throws Exception {
    fixture =
        PortalFixture.start(
            176,
            "metrics are down",
            Map.of("berth.inspection.interval", "0s"),
            DeadPrometheus.class);
  }

  @AfterAll
  static void stop() {
    PortalFixture.close(fixture);
  }

  @Test
  void chartsSayUnavailableAndTheNodePagesStillWork() {
    Page page = fixture.newPage();
    try {
      PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
      page.navigate("/nodes");
      assertThat(page.locator("#nodes tbody tr")).hasCount(1);
      assertThat(page.locator("#nodes [data-col=memory-used]")).hasText("–");
      assertThat(page.locator("#nodes [data-col=cpu-requested]")).hasText("0.00");
      assertThat(page.locator("#nodes [data-col=memory-allocatable]"))
          .hasText(Pattern.compile("^\\d+$"));

      page.locator("#nodes tbody tr a").first().click();
      assertThat(page.locator("#headroom")).containsText("Measurements unavailable");
      assertThat(page.locator("#headroom tr[data-resource=CPU]")).containsText("0.00");
      assertThat(page.locator("figure[data-chart=conntrack] .chart-area"))
          .hasText(Pattern.compile("^Metrics unavailable: .*127\\.0\\.0\\.1.*"));
      assertThat(page.locator(".chart-area.unavailable")).hasCount(5);
      Browser.screenshot(page, "metrics-down-node-page");

      page.navigate("/clusters/local/inspections");
      page.getByRole(
              com.microsoft.playwright.options.AriaRole.BUTTON,
              new Page.GetByRoleOptions().setName("Inspect now"))
          .click();
      assertThat(page.locator("#findings tr[data-check=headroom]"))
          .containsText("measurements unavailable");
      assertThat(page.locator("#findings tr[data-check=headroom]"))
          .hasAttribute("data-status", "warn");
      Browser.screenshot(page, "metrics-down-inspection");
    } finally {
      page.context().close();
    }
  }
}
