package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Node actions on the local runtime through the API: a cordoned node keeps a new app's instance
 * pending with the reason and uncordoning starts it; a drain takes the instance offline, then stops
 * it, and reports its progress; bad input, a missing node or cluster and a non-admin are refused;
 * every action is audited.
 */
class NodeActionsIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static LocalBerth fixture;
  static BerthServer berth;
  static String node;
  static String developerToken;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(192, "node actions", Map.of());
    berth = fixture.berth;
    node = berth.get("/api/v1/nodes").at("/items/0/name").asText();
    ok(berth.call("POST", "/api/v1/users", "{\"name\":\"dev\",\"password\":\"pw-0123456789\"}"));
    developerToken =
        BerthServer.json(
                ok(berth.call("POST", "/api/v1/users/dev/tokens", "{\"name\":\"it\"}")).body())
            .path("secret")
            .asText();
  }

  @AfterAll
  static void stop() {
    if (berth != null) {
      berth.call("POST", "/api/v1/clusters/local/nodes/" + node + "/uncordon", null);
    }
    LocalBerth.close(fixture);
  }

  static HttpResponse<String> ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    return r;
  }

  static String nodes(String action) {
    return "/api/v1/clusters/local/nodes/" + node + action;
  }

  static JsonNode instance(String app) {
    return berth.get("/api/v1/apps/" + app + "/instances").at("/items/0");
  }

  static List<String> reasons(String object) {
    List<String> out = new ArrayList<>();
    berth
        .get("/api/v1/events?size=200&object=" + object)
        .path("items")
        .forEach(e -> out.add(e.path("reason").asText()));
    return out.reversed();
  }

  @Test
  void cordonHoldsNewInstancesAndDrainTakesThemOfflineThenStopsThem() {
    // refused: missing node and cluster, bad deadline, a non-admin
    assertThat(berth.call("POST", "/api/v1/clusters/local/nodes/nope/cordon", null).statusCode())
        .isEqualTo(404);
    assertThat(
            berth.call("POST", "/api/v1/clusters/mars/nodes/" + node + "/drain", "{}").statusCode())
        .isEqualTo(404);
    HttpResponse<String> bad = berth.call("POST", nodes("/drain"), "{\"deadline\":\"soon\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(BerthServer.json(bad.body()).at("/errors/0/field").asText()).isEqualTo("deadline");
    assertThat(berth.call("POST", nodes("/cordon"), null, developerToken).statusCode())
        .isEqualTo(403);
    assertThat(berth.call("GET", nodes("/drain"), null).statusCode()).isEqualTo(204);
    assertThat(berth.call("DELETE", nodes("/drain"), null).statusCode()).isEqualTo(409);

    // cordon: a new app's instance waits with the reason
    JsonNode cordoned = BerthServer.json(ok(berth.call("POST", nodes("/cordon"), null)).body());
    assertThat(cordoned.path("schedulable").asBoolean()).isFalse();
    assertThat(berth.get("/api/v1/nodes").at("/items/0/schedulable").asBoolean()).isFalse();
    ok(
        berth.call(
            "POST",
            "/api/v1/apps",
            "{\"name\":\"late\",\"image\":\"%s\",\"instances\":1,\"command\":[\"sleep\",\"3600\"]}"
                .formatted(fixture.image)));
    await()
        .atMost(WAIT)
        .until(
            () ->
                instance("late").path("message").asText().equals("node " + node + " is cordoned"));
    assertThat(instance("late").path("state").asText()).isEqualTo("pending");

    // uncordon: it starts
    ok(berth.call("POST", nodes("/uncordon"), null));
    await().atMost(WAIT).until(() -> instance("late").path("ready").asBoolean());

    // drain: offline, then stopped, and it stays down while the node is cordoned
    JsonNode started =
        BerthServer.json(ok(berth.call("POST", nodes("/drain"), "{\"deadline\":\"2m\"}")).body());
    assertThat(started.path("state").asText()).isEqualTo("running");
    await()
        .atMost(WAIT)
        .until(() -> berth.get(nodes("/drain")).path("state").asText().equals("succeeded"));
    JsonNode drained = berth.get(nodes("/drain"));
    assertThat(drained.at("/instances/0/instance").asText()).isEqualTo("late-0");
    assertThat(drained.at("/instances/0/phase").asText()).isEqualTo("evicted");
    assertThat(reasons("instance/late-0")).containsSubsequence("Started", "Offline", "Evicted");
    assertThat(reasons("node/" + node))
        .containsSubsequence("Cordoned", "Uncordoned", "DrainStarted", "DrainSucceeded");
    assertThat(instance("late").path("state").asText()).isEqualTo("pending");
    assertThat(instance("late").path("message").asText())
        .isEqualTo("node " + node + " is cordoned");

    JsonNode audit = berth.get("/api/v1/audit?size=50");
    List<String> actions = new ArrayList<>();
    audit
        .path("items")
        .forEach(e -> actions.add(e.path("action").asText() + " " + e.path("result").asText()));
    assertThat(actions)
        .contains("node.cordon ok", "node.uncordon ok", "node.drain ok", "node.cordon denied");
  }
}
