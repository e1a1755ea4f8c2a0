package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.runtime.ExecResult;
import dev.berth.oci.testing.TestImages;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Autoscaling on the real local runtime with real CPU load: an app whose instances burn a CPU while
 * a file exists in them grows to its max when the load is switched on, holds its count while a
 * release is in progress even with the load off, and shrinks back after the (short) scale-down
 * window once the release is over. Metrics are collected every second and every policy evaluated
 * every second, so that the test takes seconds, not minutes.
 */
class AutoscaleIT {
  static final Duration WAIT = Duration.ofSeconds(120);
  static LocalBerth fixture;
  static BerthServer berth;

  @BeforeAll
  static void start() throws Exception {
    fixture =
        LocalBerth.start(
            180,
            "autoscale",
            Map.of(
                "berth.metrics.interval", "1s",
                "berth.autoscale.interval", "1s",
                "berth.autoscale.metric-window", "4s"));
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static JsonNode call(String method, String path, String body, int expected) {
    HttpResponse<String> r = berth.call(method, path, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
    return r.body().isEmpty() ? null : BerthServer.json(r.body());
  }

  /** Switches the busy loop of one instance on or off. */
  static void load(String instance, boolean on) {
    ExecResult r =
        berth
            .bean(ClusterRegistry.class)
            .require("local")
            .exec(
                instance,
                List.of("sh", "-c", on ? "touch /tmp/load" : "rm -f /tmp/load"),
                Duration.ofSeconds(10));
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  static int instances(String app) {
    return berth.get("/api/v1/apps/" + app).path("instances").asInt();
  }

  static List<String> rules(String app) {
    List<String> out = new ArrayList<>();
    for (JsonNode d : berth.get("/api/v1/apps/" + app + "/autoscaling").path("decisions")) {
      out.add(d.path("rule").asText());
    }
    return out;
  }

  @Test
  void loadScalesUpAReleaseHoldsTheCountAndTheEndOfLoadScalesDown() throws Exception {
    call(
        "POST",
        "/api/v1/apps",
        """
        {"name":"burner","image":"%s","instances":1,"resources":{"cpu":0.2},
         "command":["sh","-c","while true; do if [ -f /tmp/load ]; then :; else sleep 1; fi; done"]}"""
            .formatted(fixture.image),
        201);
    await()
        .atMost(WAIT)
        .until(() -> berth.get("/api/v1/apps/burner").path("status").path("ready").asInt() == 1);
    JsonNode put =
        call(
            "PUT",
            "/api/v1/apps/burner/autoscaling",
            """
            {"min":1,"max":3,"metrics":[{"type":"cpu","targetPercent":50}],
             "scaleDown":{"stabilizationSeconds":8},"cooldownSeconds":3}""",
            200);
    assertThat(put.path("enabled").asBoolean()).isTrue();
    assertThat(put.at("/policy/tolerance").asDouble()).isEqualTo(0.1);
    assertThat(put.at("/policy/scaleUp/policies").size()).isEqualTo(2);

    // idle: the count stays at min, and the decisions say why
    await().atMost(WAIT).until(() -> !rules("burner").isEmpty());
    assertThat(instances("burner")).isEqualTo(1);

    load("burner-0", true);
    try {
      await()
          .atMost(WAIT)
          .until(() -> berth.get("/api/v1/apps/burner").path("status").path("ready").asInt() == 3);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "not scaled up: " + berth.get("/api/v1/apps/burner/autoscaling").toPrettyString(), e);
    }
    assertThat(instances("burner")).isEqualTo(3);
    // how far one pass asks to go depends on how much CPU the loop got on this machine: the
    // metrics' own count, or more, capped at max
    List<String> upRules = new ArrayList<>();
    for (JsonNode d : berth.get("/api/v1/apps/burner/autoscaling").path("decisions")) {
      if (d.path("desired").asInt() > d.path("current").asInt()) {
        upRules.add(d.path("rule").asText());
      }
    }
    assertThat(upRules).isNotEmpty().allSatisfy(r -> assertThat(r).isIn("metric", "max"));
    List<String> reasons = new ArrayList<>();
    for (JsonNode e : berth.get("/api/v1/events?object=burner&size=200").path("items")) {
      reasons.add(e.path("reason").asText());
    }
    assertThat(reasons).contains("Autoscaled", "Scaled");

    // a release that waits for promotion: with the load off the count must not shrink
    String image2 = TestImages.pushBusybox(fixture.registry.host() + "/demo/busybox:2", "two");
    long release =
        call(
                "POST",
                "/api/v1/apps/burner/releases",
                """
                {"image":"%s","strategy":{"bastion":1,"batches":{"count":1},"promotion":"manual"}}"""
                    .formatted(image2),
                201)
            .path("id")
            .asLong();
    await()
        .atMost(WAIT)
        .until(
            () ->
                berth
                    .get("/api/v1/apps/burner/releases/" + release)
                    .path("reason")
                    .asText()
                    .equals("AwaitingPromotion"));
    load("burner-0", false);
    await().atMost(WAIT).until(() -> rules("burner").contains("release"));
    JsonNode held = berth.get("/api/v1/apps/burner/autoscaling").path("decisions").get(0);
    assertThat(held.path("reason").asText()).contains("is in progress");
    // a dozen evaluations, one a second, span more than the 8 s scale-down window: still held
    await()
        .atMost(WAIT)
        .until(() -> rules("burner").stream().filter("release"::equals).count() >= 12);
    assertThat(instances("burner")).isEqualTo(3);
    assertThat(rules("burner").getFirst()).isEqualTo("release");

    call("POST", "/api/v1/apps/burner/releases/" + release + "/abort", null, 200);
    await().atMost(WAIT).until(() -> instances("burner") == 1);
    JsonNode view = berth.get("/api/v1/apps/burner/autoscaling");
    assertThat(view.path("instances").asInt()).isEqualTo(1);
    assertThat(view.at("/decisions/0/rule").asText()).isIn("min", "metric", "tolerance");
    assertThat(view.at("/decisions/0/inputs/1").asText()).startsWith("cpu: ");
  }

  @Test
  void badPoliciesAre400sNamingTheFieldAndDeleteTurnsItOff() {
    call(
        "POST",
        "/api/v1/apps",
        """
        {"name":"quiet","image":"%s","instances":0,"command":["sleep","3600"]}"""
            .formatted(fixture.image),
        201);
    HttpResponse<String> r =
        berth.call(
            "PUT",
            "/api/v1/apps/quiet/autoscaling",
            """
            {"min":5,"max":2,"metrics":[{"type":"memory","targetPercent":0}],
             "schedules":[{"start":"0 8 * *","end":"0 20 * * *","timezone":"Mars/Olympus","floor":1}]}""");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type").orElse("")).contains("problem+json");
    assertThat(r.body())
        .contains(
            "\"min\"", "metrics[0].targetPercent", "schedules[0].start", "schedules[0].timezone");
    assertThat(berth.get("/api/v1/apps/quiet/autoscaling").path("enabled").asBoolean()).isFalse();

    call(
        "PUT",
        "/api/v1/apps/quiet/autoscaling",
        """
        {"min":0,"max":2,"dryRun":true,
         "schedules":[{"name":"day","start":"0 8 * * *","end":"0 20 * * *","timezone":"Europe/Berlin","floor":2}]}""",
        200);
    assertThat(berth.get("/api/v1/apps/quiet/autoscaling").at("/policy/dryRun").asBoolean())
        .isTrue();
    call("DELETE", "/api/v1/apps/quiet/autoscaling", null, 204);
    assertThat(berth.get("/api/v1/apps/quiet/autoscaling").path("enabled").asBoolean()).isFalse();
    call("DELETE", "/api/v1/apps/quiet/autoscaling", null, 404);
    JsonNode audit = berth.get("/api/v1/audit?action=app.autoscale");
    assertThat(audit.path("items").size()).isGreaterThanOrEqualTo(2);
  }
}
