package dev.berth.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GatewayCountersTest {
  static final String DUMP =
      String.join(
          "\n",
          "r\tshop\tshop-0\t200\t90",
          "r\tshop\tshop-0\t502\t10",
          "s\tshop\tshop-0\t2.5",
          "b\tshop\tshop-0\t0.005\t50",
          "b\tshop\tshop-0\t0.01\t80",
          "b\tshop\tshop-0\t0.025\t99",
          "b\tshop\tshop-0\t0.05\t100",
          "b\tshop\tshop-0\t0.1\t100",
          "b\tshop\tshop-0\t+Inf\t100",
          "m\tshop\t7",
          "garbage");

  @Test
  void readsRequestsLatencyAndCopiesFromNginxsDump() {
    GatewayCounters c = GatewayCounters.parse(DUMP);
    assertThat(c.requestsOf("shop")).isEqualTo(100);
    assertThat(c.of("shop").count()).isEqualTo(100);
    assertThat(c.of("shop").p99()).contains(0.025);
    assertThat(c.mirrored()).containsEntry("shop", 7L);
  }

  @Test
  void exposesPrometheusNamesWithAppInstanceAndCode() throws Exception {
    GatewayMetrics metrics = new GatewayMetrics(() -> GatewayCounters.parse(DUMP));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, metrics.collect());
    String text = out.toString();
    assertThat(text)
        .contains("berth_gateway_requests_total{app=\"shop\",code=\"502\",instance=\"shop-0\"} 10")
        .contains(
            "berth_gateway_request_duration_seconds_bucket{app=\"shop\",instance=\"shop-0\",le=\"0.025\"} 99")
        .contains(
            "berth_gateway_request_duration_seconds_count{app=\"shop\",instance=\"shop-0\"} 100")
        .contains("berth_gateway_mirrored_requests_total{app=\"shop\"} 7");
  }

  static Mirror mirror(Double baseline) {
    return new Mirror(
        "shop", "canary", "http", 10, 1024, 20, baseline, true, null, "alice", Instant.EPOCH);
  }

  static GatewayCounters.Latency window(long fast, long slow) {
    long[] b = new long[GatewayCounters.BOUNDS.size()];
    for (int i = 0; i < b.length; i++) {
      double bound = i == b.length - 1 ? 1e9 : Double.parseDouble(GatewayCounters.BOUNDS.get(i));
      b[i] = (bound >= 0.01 ? fast : 0) + (bound >= 0.5 ? slow : 0);
    }
    return new GatewayCounters.Latency(b, 0);
  }

  @Test
  void theGuardStopsAMirrorOnlyWhenP99RisesPastItsBoundOverEnoughRequests() {
    assertThat(MirrorGuard.verdict(mirror(0.01), window(100, 0))).isEmpty();
    assertThat(MirrorGuard.verdict(mirror(0.01), window(90, 10)))
        .hasValueSatisfying(r -> assertThat(r).contains("rose to 0.5 s over 100 requests"));
    assertThat(MirrorGuard.verdict(mirror(0.01), window(20, 10))).as("too few requests").isEmpty();
    assertThat(MirrorGuard.verdict(mirror(null), window(90, 10))).as("no baseline yet").isEmpty();
  }
}
