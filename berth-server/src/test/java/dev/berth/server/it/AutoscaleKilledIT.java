package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Berth killed with SIGKILL while the autoscaler holds a count by its scale-down stabilization
 * window, then started again on the same data: the window's memory is in the database, so the
 * restarted autoscaler keeps holding (rule {@code stabilization}) instead of dropping to what the
 * metric alone asks for, and the decisions made before the crash are still listed.
 */
class AutoscaleKilledIT {
  static final Duration WAIT = Duration.ofSeconds(120);
  static final String METRIC =
      "\"metrics\":[{\"type\":\"metric\",\"name\":\"berth_instance_pids\",\"targetValue\":1000}]";
  static TestRegistry registry;
  static BerthProcess berth;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "autoscale killed");
    berth =
        BerthProcess.forClass(182, "autoscale-killed")
            .with("--berth.autoscale.interval=1s")
            .with("--berth.metrics.interval=1s")
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berth != null) {
        berth.closeAndClean("steady");
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  JsonNode view() throws Exception {
    return berth.get("/api/v1/apps/steady/autoscaling");
  }

  void put(String policy) throws Exception {
    var r = berth.call("PUT", "/api/v1/apps/steady/autoscaling", policy);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void theStabilizationWindowSurvivesSigkill() throws Exception {
    var created =
        berth.call(
            "POST",
            "/api/v1/apps",
            """
            {"name":"steady","image":"%s","instances":1,"command":["sleep","3600"]}"""
                .formatted(image));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    // a window open since the last full minute until New Year: a floor of 3
    put(
        "{\"min\":1,\"max\":4,"
            + METRIC
            + ",\"scaleDown\":{\"stabilizationSeconds\":3600},\"schedules\":[{\"start\":\"* * * *"
            + " *\",\"end\":\"0 0 1 1 *\",\"timezone\":\"UTC\",\"floor\":3}]}");
    await().atMost(WAIT).until(() -> view().path("instances").asInt() == 3);
    // without the window the metric asks for 1, but the last hour's highest recommendation is 3
    put("{\"min\":1,\"max\":4," + METRIC + ",\"scaleDown\":{\"stabilizationSeconds\":3600}}");
    await()
        .atMost(WAIT)
        .until(() -> view().at("/decisions/0/rule").asText().equals("stabilization"));
    int before = view().path("decisions").size();

    berth.kill();
    Instant restarted = Instant.now();
    berth.start();

    await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonNode d = view().at("/decisions/0");
              return Instant.parse(d.path("at").asText()).isAfter(restarted)
                  && d.path("rule").asText().equals("stabilization");
            });
    JsonNode after = view();
    assertThat(after.path("instances").asInt()).isEqualTo(3);
    assertThat(after.path("decisions").size()).isGreaterThanOrEqualTo(before);
    for (JsonNode d : after.path("decisions")) {
      assertThat(d.path("desired").asInt()).as(d.toString()).isEqualTo(3);
    }
    assertThat(after.at("/decisions/0/reason").asText())
        .contains("highest recommendation of the last 3600 s was 3");
  }
}
