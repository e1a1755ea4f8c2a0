package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an app tells a user when things go wrong or change under it, against a real Berth server
 * with real runc containers: Warning events and a Degraded status that says since when and why for
 * a crash loop, fixed addresses per ordinal through deletes and scaling, the reason for waiting
 * when scaling up right after scaling down, and restart counts that start over for a fresh
 * instance.
 */
class AppStatusIT {
  static final Duration READY = Duration.ofSeconds(60);
  static LocalBerth fixture;
  static BerthServer berth;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(111, "hello from a status test", Map.of());
    berth = fixture.berth;
    image = fixture.image;
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String httpdApp(String name, int instances) {
    return """
        {"name":"%s","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "resources":{"cpu":0.1,"memoryMiB":32},"instances":%d,
         "health":{"readiness":{"type":"http","port":8080,"path":"/","periodSeconds":1}}}
        """
        .formatted(name, image, instances);
  }

  /**
   * A list answer's items, whether the API answers a bare array or an envelope with {@code items}.
   */
  static List<JsonNode> items(JsonNode list) {
    List<JsonNode> out = new ArrayList<>();
    (list.isArray() ? list : list.path("items")).forEach(out::add);
    return out;
  }

  static Map<String, JsonNode> instances(String app) {
    Map<String, JsonNode> byId = new HashMap<>();
    items(berth.get("/api/v1/apps/" + app + "/instances"))
        .forEach(i -> byId.put(i.path("id").asText(), i));
    return byId;
  }

  static List<JsonNode> events(String object, String type) {
    return items(
        berth.get(
            "/api/v1/events?limit=1000&object=" + object + (type == null ? "" : "&type=" + type)));
  }

  static void awaitRunning(String app, int ready) {
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              JsonNode a = berth.get("/api/v1/apps/" + app);
              assertThat(a.path("status").path("phase").asText())
                  .as(a.toString())
                  .isEqualTo("Running");
              assertThat(a.path("status").path("ready").asInt()).isEqualTo(ready);
              assertThat(instances(app)).hasSize(ready);
            });
  }

  static void scale(String app, int instances) {
    HttpResponse<String> r =
        berth.call("POST", "/api/v1/apps/" + app + "/scale", "{\"instances\":" + instances + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void aCrashLoopingAppMakesWarningEventsAndSaysSinceWhenAndWhyItIsDegraded() {
    String crasher =
        """
        {"name":"crasher","image":"%s","command":["sh","-c","echo starting; sleep 1; exit 3"],"instances":1}
        """
            .formatted(image);
    Instant before = Instant.now();
    assertThat(berth.call("POST", "/api/v1/apps", crasher).statusCode()).isEqualTo(201);

    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              JsonNode status = berth.get("/api/v1/apps/crasher").path("status");
              assertThat(status.path("phase").asText()).as(status.toString()).isEqualTo("Degraded");
              assertThat(status.path("reason").asText()).isEqualTo("CrashLoopBackOff");
              assertThat(status.path("message").asText())
                  .contains("crasher-0", "exited with code 3", "restarting in");
              assertThat(Instant.parse(status.path("since").asText())).isAfter(before);
            });
    // the first back-off is a second: the restart after it comes soon
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(events("crasher", "Warning"))
                    .extracting(e -> e.path("reason").asText())
                    .contains("Exited", "Restarted", "Degraded"));
    List<JsonNode> warnings = events("crasher", "Warning");
    assertThat(warnings)
        .filteredOn(e -> e.path("reason").asText().equals("Exited"))
        .allSatisfy(e -> assertThat(e.path("message").asText()).contains("exited with code 3"));
    assertThat(warnings)
        .filteredOn(e -> e.path("reason").asText().equals("Degraded"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.path("message").asText()).startsWith("CrashLoopBackOff: crasher-0"));
    // staying degraded keeps the time it began
    String since = berth.get("/api/v1/apps/crasher").path("status").path("since").asText();
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(instances("crasher").get("crasher-0").path("restarts").asInt())
                    .isGreaterThanOrEqualTo(2));
    JsonNode later = berth.get("/api/v1/apps/crasher").path("status");
    assertThat(later.path("phase").asText()).isEqualTo("Degraded");
    assertThat(later.path("since").asText()).isEqualTo(since);
    berth.call("DELETE", "/api/v1/apps/crasher?confirm=crasher", null);
  }

  @Test
  void eachOrdinalKeepsItsAddressThroughDeletesScaleDownAndScaleUp() {
    assertThat(berth.call("POST", "/api/v1/apps", httpdApp("fixed", 3)).statusCode())
        .isEqualTo(201);
    awaitRunning("fixed", 3);
    Map<String, String> ips = new HashMap<>();
    instances("fixed").forEach((id, i) -> ips.put(id, i.path("ip").asText()));

    // fixed-1 deleted without replacement: its address is released, fixed-0 and fixed-2 stay
    assertThat(
            berth
                .call("DELETE", "/api/v1/apps/fixed/instances/fixed-1?replace=false", null)
                .statusCode())
        .isEqualTo(202);
    awaitRunning("fixed", 2);
    assertThat(instances("fixed")).containsOnlyKeys("fixed-0", "fixed-2");

    // scaled down to one, then up again: fixed-2 comes back with its own address, not fixed-1's old
    // one
    scale("fixed", 1);
    awaitRunning("fixed", 1);
    scale("fixed", 2);
    awaitRunning("fixed", 2);
    assertThat(instances("fixed").get("fixed-2").path("ip").asText()).isEqualTo(ips.get("fixed-2"));
    scale("fixed", 3);
    awaitRunning("fixed", 3);
    Map<String, JsonNode> now = instances("fixed");
    assertThat(now).containsOnlyKeys("fixed-0", "fixed-2", "fixed-3");
    assertThat(now.get("fixed-0").path("ip").asText()).isEqualTo(ips.get("fixed-0"));
    assertThat(now.get("fixed-2").path("ip").asText()).isEqualTo(ips.get("fixed-2"));
    assertThat(now.get("fixed-3").path("ip").asText())
        .isNotIn(ips.get("fixed-0"), ips.get("fixed-2"));

    // and after a restart of Berth too
    berth.stop();
    berth.start();
    scale("fixed", 1);
    awaitRunning("fixed", 1);
    scale("fixed", 2);
    awaitRunning("fixed", 2);
    assertThat(instances("fixed").get("fixed-2").path("ip").asText()).isEqualTo(ips.get("fixed-2"));
    berth.call("DELETE", "/api/v1/apps/fixed?confirm=fixed", null);
  }

  @Test
  void scalingUpRightAfterScalingDownSaysWhatItWaitsForAndStartsFreshInstances() throws Exception {
    // the README's app (default readiness period), with a stop hook that takes two seconds
    String bounce =
        """
        {"name":"bounce","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "resources":{"cpu":0.1,"memoryMiB":32},"instances":3,
         "health":{"readiness":{"type":"http","port":8080,"path":"/"}},
         "lifecycle":{"preStop":["sleep","2"]}}
        """
            .formatted(image);
    assertThat(berth.call("POST", "/api/v1/apps", bounce).statusCode()).isEqualTo(201);
    awaitRunning("bounce", 3);
    // bounce-2 crashes once: one restart
    new ProcessBuilder(
            "kill", "-9", Long.toString(Cleanup.containerPid(berth.dataDir(), "bounce-2")))
        .inheritIO()
        .start()
        .waitFor();
    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              JsonNode i = instances("bounce").get("bounce-2");
              assertThat(i.path("restarts").asInt()).isEqualTo(1);
              assertThat(i.path("ready").asBoolean()).isTrue();
            });

    long t0 = System.nanoTime();
    scale("bounce", 1);
    scale("bounce", 3);
    List<String> reasons = new ArrayList<>();
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              JsonNode status = berth.get("/api/v1/apps/bounce").path("status");
              reasons.add(status.path("reason").asText() + ": " + status.path("message").asText());
              assertThat(status.path("phase").asText()).isEqualTo("Running");
              assertThat(status.path("ready").asInt()).isEqualTo(3);
            });
    long waited = (System.nanoTime() - t0) / 1_000_000;
    System.out.println(
        "scale 3 -> 1 -> 3 took "
            + waited
            + " ms; statuses seen: "
            + reasons.stream().distinct().toList());
    List<String> said =
        events("bounce", null).stream()
            .map(e -> e.path("reason").asText() + ": " + e.path("message").asText())
            .toList();
    System.out.println("events: " + said);
    // every moment it was not ready, the status said why
    assertThat(reasons).allSatisfy(r -> assertThat(r).doesNotStartWith(": "));
    assertThat(reasons)
        .anySatisfy(
            r -> assertThat(r).startsWith("WaitingForStop: ").contains("is still stopping"));
    assertThat(said)
        .anySatisfy(
            e -> assertThat(e).startsWith("WaitingForStop: ").contains("is still stopping"));
    // the instance that comes back is a fresh one: no restarts, no last exit carried over
    JsonNode fresh = instances("bounce").get("bounce-2");
    assertThat(fresh.path("restarts").asInt()).as(fresh.toString()).isZero();
    assertThat(fresh.path("lastExit").isMissingNode() || fresh.path("lastExit").isNull())
        .as(fresh.toString())
        .isTrue();

    // the same after a delete with replacement
    new ProcessBuilder(
            "kill", "-9", Long.toString(Cleanup.containerPid(berth.dataDir(), "bounce-1")))
        .inheritIO()
        .start()
        .waitFor();
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(instances("bounce").get("bounce-1").path("restarts").asInt())
                    .isEqualTo(1));
    assertThat(berth.call("DELETE", "/api/v1/apps/bounce/instances/bounce-1", null).statusCode())
        .isEqualTo(202);
    awaitRunning("bounce", 3);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(instances("bounce").get("bounce-1").path("restarts").asInt()).isZero());
    berth.call("DELETE", "/api/v1/apps/bounce?confirm=bounce", null);
  }
}
