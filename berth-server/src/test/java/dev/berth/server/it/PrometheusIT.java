package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.testing.PrometheusProcesses;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Prometheus in and out with the real programs: Debian's Prometheus scrapes Berth's {@code
 * /actuator/prometheus} (Berth's series arrive with their labels) and node-exporter; Berth reads
 * node-exporter's series back through that Prometheus as the local cluster's source, and says
 * "unavailable" (503) once it is gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static LocalBerth fixture;
  static BerthServer berth;
  static PrometheusProcesses.Running nodeExporter;
  static PrometheusProcesses.Running prometheus;

  @BeforeAll
  static void start() throws Exception {
    nodeExporter = PrometheusProcesses.nodeExporter();
    int port = PrometheusProcesses.freePort();
    fixture =
        LocalBerth.start(
            171,
            "prom",
            Map.of(
                "berth.metrics.interval",
                "1s",
                "berth.metrics.prometheus.local",
                "http://127.0.0.1:" + port));
    berth = fixture.berth;
    prometheus =
        PrometheusProcesses.prometheus(port, berth.uri("/"), BerthServer.TOKEN, nodeExporter.url());
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (nodeExporter != null) {
      nodeExporter.close();
    }
    LocalBerth.close(fixture);
  }

  static JsonNode promQuery(String promql) throws Exception {
    HttpResponse<String> r =
        berth
            .http()
            .send(
                HttpRequest.newBuilder(
                        prometheus
                            .url()
                            .resolve(
                                "/api/v1/query?query="
                                    + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return BerthServer.json(r.body()).path("data").path("result");
  }

  @Test
  @Order(1)
  void prometheusScrapesBerthsSeriesWithTheirLabels() throws Exception {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode up = promQuery("up{job=\"berth\"}");
              assertThat(up).hasSize(1);
              assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");
              JsonNode pidMax = promQuery("berth_node_pid_max{cluster=\"local\"}");
              assertThat(pidMax).hasSize(1);
              assertThat(pidMax.get(0).path("value").get(1).asDouble())
                  .isEqualTo(Double.parseDouble(MetricsIT.cat("/proc/sys/kernel/pid_max")));
              assertThat(pidMax.get(0).path("metric").path("node").asText()).isNotBlank();
            });
    // a counter arrives as a counter: rate() over it works
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(promQuery("rate(berth_node_cpu_seconds_total{mode=\"idle\"}[10s])"))
                    .hasSize(1));
  }

  @Test
  @Order(2)
  void berthChartsANodeExporterSeriesThroughPrometheus() throws Exception {
    double memTotal =
        Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:"))
                .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")))
                .findFirst()
                .orElseThrow()
            * 1024;
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode series =
                  MetricsIT.oneSeries(
                      berth, "metric=node_memory_MemTotal_bytes&cluster=local&from=now-1m&step=1s");
              assertThat(series.path("labels").path("cluster").asText()).isEqualTo("local");
              assertThat(series.path("labels").path("job").asText()).isEqualTo("node");
              JsonNode points = series.path("points");
              assertThat(points.size()).isGreaterThanOrEqualTo(3);
              assertThat(points.get(points.size() - 1).get(1).asDouble()).isEqualTo(memTotal);
            });
    HttpResponse<String> latest =
        berth.call("GET", "/api/v1/metrics/latest?metric=node_load1&cluster=local", null);
    assertThat(latest.statusCode()).as(latest.body()).isEqualTo(200);
    assertThat(BerthServer.json(latest.body()).path("items")).hasSize(1);
  }

  @Test
  @Order(3)
  void aPrometheusThatIsGoneIsAnswered503Unavailable() throws Exception {
    // the last test of the class: it ends the process
    await()
        .atMost(WAIT)
        .until(
            () ->
                berth
                        .call("GET", "/api/v1/metrics/latest?metric=up&cluster=local", null)
                        .statusCode()
                    == 200);
    prometheus.close();

    HttpResponse<String> r =
        berth.call("GET", "/api/v1/metrics/latest?metric=node_load1&cluster=local", null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(BerthServer.json(r.body()).path("detail").asText())
        .contains("Prometheus")
        .contains("cannot be reached: connection refused")
        .doesNotContain("null");
    // Berth's own metrics do not depend on it
    assertThat(
            berth
                .call("GET", "/api/v1/metrics/latest?metric=berth_node_pid_max", null)
                .statusCode())
        .isEqualTo(200);
  }
}
