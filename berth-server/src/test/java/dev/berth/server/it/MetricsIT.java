package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metrics of the local cluster on real runc: a memory hog's OOM kills counted, an instance's usage
 * against its limits, the host's values as /proc has them, history as a range, all on the metrics
 * API and on /actuator/prometheus; bad queries as problems naming the parameter.
 */
class MetricsIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static LocalBerth fixture;
  static BerthServer berth;

  @BeforeAll
  static void start() throws Exception {
    fixture =
        LocalBerth.start(
            170,
            "metrics",
            Map.of("berth.metrics.interval", "1s", "berth.metrics.flush-interval", "5s"));
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static JsonNode latest(String query) {
    HttpResponse<String> r = berth.call("GET", "/api/v1/metrics/latest?" + query, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return BerthServer.json(r.body()).path("items");
  }

  static double value(String query) {
    JsonNode items = latest(query);
    assertThat(items).as(query).hasSize(1);
    return items.get(0).path("value").asDouble();
  }

  @Test
  void aMemoryHogsOomKillsCountUpOnTheApiAndOnActuatorPrometheus() {
    String hog =
        """
        {"name":"hog","image":"%s","command":["sh","-c","echo eating; x=a; while true; do x=$x$x; done"],
         "resources":{"cpu":0.1,"memoryMiB":16},"instances":1}
        """
            .formatted(fixture.image);
    assertThat(berth.call("POST", "/api/v1/apps", hog).statusCode()).isEqualTo(201);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode items = latest("metric=berth_instance_oom_kills_total&app=hog");
              assertThat(items).hasSize(1);
              assertThat(items.get(0).path("value").asDouble()).isGreaterThanOrEqualTo(2);
              assertThat(items.get(0).path("labels").path("instance").asText()).isEqualTo("hog-0");
              assertThat(items.get(0).path("labels").path("team").asText()).isEqualTo("default");
              assertThat(items.get(0).path("labels").path("cluster").asText()).isEqualTo("local");
            });
    // each kill also restarted the container: restarts count up with the kills, never down
    assertThat(value("metric=berth_instance_restarts_total&app=hog")).isGreaterThanOrEqualTo(1);
    String scraped = berth.call("GET", "/actuator/prometheus", null).body();
    assertThat(scraped).contains("# TYPE berth_instance_oom_kills_total counter");
    assertThat(
            scraped
                .lines()
                .filter(l -> l.startsWith("berth_instance_oom_kills_total{"))
                .filter(l -> l.contains("app=\"hog\"") && l.contains("team=\"default\""))
                .filter(l -> l.contains("instance=\"hog-0\"") && l.contains("cluster=\"local\""))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .toList())
        .singleElement()
        .satisfies(v -> assertThat(v).isGreaterThanOrEqualTo(2));
    berth.call("DELETE", "/api/v1/apps/hog?confirm=hog", null);
  }

  @Test
  void anInstancesUsageIsMeasuredAgainstItsLimits() {
    String web =
        """
        {"name":"web","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "resources":{"cpu":0.2,"cpuLimit":1,"memoryMiB":32},"instances":1}
        """
            .formatted(fixture.image);
    assertThat(berth.call("POST", "/api/v1/apps", web).statusCode()).isEqualTo(201);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(value("metric=berth_instance_memory_limit_bytes&instance=web-0"))
                  .isEqualTo(32 * 1024 * 1024);
              assertThat(value("metric=berth_instance_memory_working_set_bytes&instance=web-0"))
                  .isPositive()
                  .isLessThan(32 * 1024 * 1024);
              assertThat(value("metric=berth_instance_pids&instance=web-0")).isPositive();
              assertThat(value("metric=berth_instance_cpu_seconds_total&instance=web-0"))
                  .isPositive();
              assertThat(latest("metric=berth_instance_cpu_throttled_seconds_total&app=web"))
                  .hasSize(1);
            });
    // a chart of the last minutes: one point per step, labelled as the latest values are
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode series =
                  oneSeries(
                      berth,
                      "metric=berth_instance_memory_working_set_bytes&app=web&from=now-2m&step=1s");
              assertThat(series.path("labels").path("instance").asText()).isEqualTo("web-0");
              assertThat(series.path("points").size()).isGreaterThanOrEqualTo(5);
            });
    berth.call("DELETE", "/api/v1/apps/web?confirm=web", null);
  }

  @Test
  void theHostsValuesAreTheKernelsOwn() throws IOException, InterruptedException {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(latest("metric=berth_node_pid_max")).hasSize(1));
    assertThat(value("metric=berth_node_pid_max"))
        .isEqualTo(Double.parseDouble(cat("/proc/sys/kernel/pid_max")));
    assertThat(value("metric=berth_node_cpus"))
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(latest("metric=berth_node_image_store_used_bytes")).hasSize(1);
    assertThat(latest("metric=berth_node_cpu_seconds_total&mode=idle")).hasSize(1);
    List<String> names = new ArrayList<>();
    BerthServer.json(berth.call("GET", "/api/v1/metrics", null).body())
        .path("items")
        .forEach(n -> names.add(n.path("name").asText()));
    assertThat(names)
        .contains(
            "berth_node_conntrack_entries",
            "berth_node_tcp_retransmitted_segments_total",
            "berth_instance_oom_kills_total");
  }

  @Test
  void badQueriesAreProblemsNamingTheParameterAndItsFix() {
    assertProblem("metric=berth_nope", 400, "metric", "GET /api/v1/metrics lists them");
    assertProblem("", 400, "metric", "is required");
    assertProblem("metric=berth_node_load1&from=yesterday", 400, "from", "RFC 3339");
    assertProblem("metric=berth_node_load1&step=0s", 400, "step", "positive");
    assertProblem("metric=berth_node_load1&from=now-30d&step=1s", 400, "step", "larger step");
    assertProblem("metric=berth_node_load1&from=now&to=now-1h", 400, "to", "before from");
    assertProblem("metric=node_load1&cluster=local", 400, "metric", "berth.metrics.prometheus");
    assertThat(
            berth
                .call("GET", "/api/v1/metrics/query?metric=berth_instance_pids&app=nope", null)
                .statusCode())
        .isEqualTo(404);
  }

  private static void assertProblem(String query, int status, String field, String fix) {
    HttpResponse<String> r = berth.call("GET", "/api/v1/metrics/query?" + query, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode errors = BerthServer.json(r.body()).path("errors");
    List<String> named = new ArrayList<>();
    errors.forEach(e -> named.add(e.path("field").asText() + ": " + e.path("message").asText()));
    assertThat(named)
        .as(r.body())
        .anySatisfy(n -> assertThat(n).startsWith(field + ":").contains(fix));
  }

  /** The one series a range query answers (asserting 200 and exactly one). */
  static JsonNode oneSeries(BerthServer berth, String query) {
    HttpResponse<String> r = berth.call("GET", "/api/v1/metrics/query?" + query, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode series = BerthServer.json(r.body()).path("series");
    assertThat(series).as(r.body()).hasSize(1);
    return series.get(0);
  }

  static String cat(String file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("cat", file).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return out;
  }
}
