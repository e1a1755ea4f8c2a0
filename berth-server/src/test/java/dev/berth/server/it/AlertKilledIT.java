package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.alert.Hooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alert state survives SIGKILL: a pending alert keeps the time its condition started (its {@code
 * for} does not start over), a firing alert stays the same alert and is not announced again, and
 * its resolution after the restart reaches the receiver that got its firing.
 */
class AlertKilledIT {
  static BerthProcess berth;
  static Hooks hook;

  @BeforeAll
  static void start() throws Exception {
    hook = Hooks.start();
    berth =
        BerthProcess.forClass(179, "alert-killed")
            .with("berth.alert.interval", "1s")
            .with("berth.metrics.interval", "1s")
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berth != null) {
        berth.closeAndClean();
      }
    } finally {
      hook.close();
    }
  }

  static String rule(String name, double threshold, String forDuration) {
    return """
        {"name":"%s","metric":"berth_node_pid_max","op":">","threshold":%s,"for":"%s"}"""
        .formatted(name, threshold, forDuration);
  }

  JsonNode alertOf(String rule) throws Exception {
    for (JsonNode a : berth.get("/api/v1/alerts").path("items")) {
      if (a.path("rule").asText().equals(rule)) {
        return a;
      }
    }
    return null;
  }

  List<JsonNode> posts() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    Hooks.Post p;
    while ((p = hook.posts.poll(0, TimeUnit.SECONDS)) != null) {
      JsonNode body = BerthServer.json(p.body());
      if (body.path("group").asText().equals("pid-max-known")) {
        out.add(body);
      }
    }
    return out;
  }

  @Test
  void afterAKillMinus9AlertsKeepTheirStateAndTheResolutionOfAFiringOneIsSentOnce()
      throws Exception {
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/receivers",
                    "{\"name\":\"ops\",\"type\":\"webhook\",\"url\":\"" + hook.url("/k") + "\"}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            berth.call("POST", "/api/v1/alert-rules", rule("pid-max-known", 0, "0")).statusCode())
        .isEqualTo(201);
    assertThat(
            berth.call("POST", "/api/v1/alert-rules", rule("pid-max-slow", 0, "1h")).statusCode())
        .isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                alertOf("pid-max-known") != null
                    && alertOf("pid-max-known").path("state").asText().equals("firing")
                    && alertOf("pid-max-slow") != null);
    await().atMost(Duration.ofSeconds(30)).until(() -> !hook.posts.isEmpty());
    JsonNode firing = alertOf("pid-max-known");
    JsonNode pending = alertOf("pid-max-slow");
    assertThat(pending.path("state").asText()).isEqualTo("pending");
    List<JsonNode> before = posts();
    assertThat(before).extracting(p -> p.path("status").asText()).containsExactly("firing");

    berth.kill();
    berth.start();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode p = alertOf("pid-max-slow");
              assertThat(p.path("id").asLong()).isEqualTo(pending.path("id").asLong());
              assertThat(p.path("activeSince").asText())
                  .isEqualTo(pending.path("activeSince").asText());
              assertThat(p.path("state").asText()).isEqualTo("pending");
            });
    assertThat(
            berth
                .call("PUT", "/api/v1/alert-rules/pid-max-known", rule("pid-max-known", 1e15, "0"))
                .statusCode())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                berth
                    .get("/api/v1/alerts/" + firing.path("id").asLong())
                    .path("state")
                    .asText()
                    .equals("resolved"));
    JsonNode resolved = BerthServer.json(hook.posts.poll(60, TimeUnit.SECONDS).body());
    assertThat(resolved.path("status").asText()).isEqualTo("resolved");
    assertThat(resolved.path("alerts").get(0).path("id").asLong())
        .isEqualTo(firing.path("id").asLong());
    assertThat(posts()).as("no second firing after the restart").isEmpty();
  }
}
