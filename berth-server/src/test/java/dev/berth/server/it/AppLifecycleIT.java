package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path a user takes, against a real Berth server with real runc containers and a real
 * docker-registry: create an app, see its instances ready and serving, scale, release a new
 * revision, delete one chosen instance, kill and OOM instances, read logs and events.
 */
class AppLifecycleIT {
  static final Duration READY = Duration.ofSeconds(60);
  static TestRegistry registry;
  static BerthServer berth;
  static String image;

  static LocalBerth fixture;

  @BeforeAll
  static void start(org.junit.jupiter.api.TestInfo run) throws Exception {
    if (run.getTestClass().orElseThrow() != AppLifecycleIT.class) {
      // JUnit runs this for a subclass too (another signature than the subclass's own start):
      // the subclass starts its own fixture, and one started here would be left running
      return;
    }
    fixture = LocalBerth.start(1, "hello from berth", Map.of());
    registry = fixture.registry;
    image = fixture.image;
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String httpdApp(String name, int instances) {
    return """
        {"name":"%s","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "ports":[{"name":"http","port":8080}],
         "resources":{"cpu":0.2,"cpuLimit":1,"memoryMiB":32},
         "instances":%d,
         "health":{"readiness":{"type":"http","port":8080,"path":"/","periodSeconds":1}}}
        """
        .formatted(name, image, instances);
  }

  static JsonNode awaitPhase(String app, String phase, int ready) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              last[0] = berth.get("/api/v1/apps/" + app);
              assertThat(last[0].path("status").path("phase").asText())
                  .as(last[0].toString())
                  .isEqualTo(phase);
              assertThat(last[0].path("status").path("ready").asInt()).isEqualTo(ready);
            });
    return last[0];
  }

  static JsonNode instance(String app, String id) {
    for (JsonNode i : berth.get("/api/v1/apps/" + app + "/instances").path("items")) {
      if (i.path("id").asText().equals(id)) {
        return i;
      }
    }
    return null;
  }

  static String fetch(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  @Test
  void createsAnAppWhoseInstancesServeThePageThenScalesReleasesAndDeletes() throws Exception {
    HttpResponse<String> created = berth.call("POST", "/api/v1/apps", httpdApp("web", 2));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(BerthServer.json(created.body()).path("revision").asLong()).isEqualTo(1);

    awaitPhase("web", "Running", 2);
    JsonNode instances = berth.get("/api/v1/apps/web/instances").path("items");
    assertThat(instances).hasSize(2);
    List<String> ips = new ArrayList<>();
    for (JsonNode i : instances) {
      assertThat(i.path("ready").asBoolean()).isTrue();
      assertThat(i.path("state").asText()).isEqualTo("running");
      ips.add(i.path("ip").asText());
      assertThat(fetch("http://" + i.path("ip").asText() + ":8080/")).contains("hello from berth");
    }
    assertThat(ips).doesNotHaveDuplicates().allMatch(ip -> ip.startsWith(fixture.subnetPrefix));

    // Scale up: a third instance, the first two untouched.
    assertThat(berth.call("POST", "/api/v1/apps/web/scale", "{\"instances\":3}").statusCode())
        .isEqualTo(200);
    awaitPhase("web", "Running", 3);
    assertThat(instance("web", "web-0").path("ip").asText()).isEqualTo(ips.get(0));

    // A new revision rolls out to every instance; they keep their IPs.
    JsonNode app = berth.get("/api/v1/apps/web");
    String update =
        httpdApp("web", 3)
            .replace("\"instances\":3,", "\"instances\":3,\"env\":{\"RELEASE\":\"2\"},");
    HttpResponse<String> updated =
        berth.call(
            "PUT",
            "/api/v1/apps/web",
            update.replace(
                "\"instances\":3,",
                "\"instances\":3,\"version\":" + app.path("version").asLong() + ","));
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(BerthServer.json(updated.body()).path("revision").asLong()).isEqualTo(2);
    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              JsonNode a = berth.get("/api/v1/apps/web");
              assertThat(a.path("status").path("revision").asLong()).as(a.toString()).isEqualTo(2);
              assertThat(a.path("status").path("phase").asText()).isEqualTo("Running");
            });
    for (JsonNode i : berth.get("/api/v1/apps/web/instances").path("items")) {
      assertThat(i.path("revision").asLong()).isEqualTo(2);
    }
    assertThat(instance("web", "web-0").path("ip").asText()).isEqualTo(ips.get(0));
    assertThat(berth.get("/api/v1/apps/web/revisions").path("items")).hasSize(2);
    assertThat(eventReasons("web"))
        .contains("Created", "Scaled", "Updated", "ReleaseStarted", "ReleaseSucceeded");

    // A stale version is refused.
    String stale =
        update.replace(
            "\"instances\":3,",
            "\"instances\":3,\"version\":" + app.path("version").asLong() + ",");
    assertThat(berth.call("PUT", "/api/v1/apps/web", stale).statusCode()).isEqualTo(409);

    // Delete web-1 without replacement: web-0 and web-2 remain, ordinal 1 stays free.
    HttpResponse<String> del =
        berth.call("DELETE", "/api/v1/apps/web/instances/web-1?replace=false", null);
    assertThat(del.statusCode()).as(del.body()).isEqualTo(202);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/web/instances").path("items"))
                    .extracting(i -> i.path("id").asText())
                    .containsExactly("web-0", "web-2"));
    assertThat(berth.get("/api/v1/apps/web").path("instances").asInt()).isEqualTo(2);

    // Delete web-2 with replacement: it comes back with the same name and IP.
    String ip2 = instance("web", "web-2").path("ip").asText();
    assertThat(berth.call("DELETE", "/api/v1/apps/web/instances/web-2", null).statusCode())
        .isEqualTo(202);
    awaitPhase("web", "Running", 2);
    assertThat(instance("web", "web-2").path("ip").asText()).isEqualTo(ip2);

    // Delete the app: instances stop, then the app is gone.
    assertThat(berth.call("DELETE", "/api/v1/apps/web?confirm=web", null).statusCode())
        .isEqualTo(202);
    await()
        .atMost(READY)
        .until(() -> berth.call("GET", "/api/v1/apps/web", null).statusCode() == 404);
    assertThat(eventReasons("web")).contains("Deleted");
  }

  @Test
  void restartsAnInstanceWhoseMainProcessWasKilled() throws Exception {
    assertThat(berth.call("POST", "/api/v1/apps", httpdApp("killme", 1)).statusCode())
        .isEqualTo(201);
    awaitPhase("killme", "Running", 1);
    String ip = instance("killme", "killme-0").path("ip").asText();
    long pid = Cleanup.containerPid(berth.dataDir(), "killme-0");
    assertThat(pid).isPositive();
    new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();

    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              JsonNode i = instance("killme", "killme-0");
              assertThat(i.path("restarts").asInt()).as(i.toString()).isEqualTo(1);
              assertThat(i.path("ready").asBoolean()).isTrue();
              assertThat(i.path("lastExit").path("reason").asText()).isEqualTo("killed");
            });
    assertThat(instance("killme", "killme-0").path("ip").asText()).isEqualTo(ip);
    assertThat(eventReasons("killme")).contains("Restarted");
    berth.call("DELETE", "/api/v1/apps/killme?confirm=killme", null);
  }

  @Test
  void deletingAnInstanceRightAfterRestartingItLeavesNothingRunning() throws Exception {
    assertThat(berth.call("POST", "/api/v1/apps", httpdApp("flip", 2)).statusCode()).isEqualTo(201);
    awaitPhase("flip", "Running", 2);
    assertThat(berth.call("POST", "/api/v1/apps/flip/instances/flip-1/restart", null).statusCode())
        .isEqualTo(202);
    assertThat(
            berth
                .call("DELETE", "/api/v1/apps/flip/instances/flip-1?replace=false", null)
                .statusCode())
        .isEqualTo(202);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/flip/instances").path("items"))
                    .extracting(i -> i.path("id").asText())
                    .containsExactly("flip-0"));
    assertThat(berth.call("DELETE", "/api/v1/apps/flip?confirm=flip", null).statusCode())
        .isEqualTo(202);
    await()
        .atMost(READY)
        .until(() -> berth.call("GET", "/api/v1/apps/flip", null).statusCode() == 404);
    assertThat(
            Cleanup.run(
                "runc", "--root", Cleanup.runcRoot(berth.dataDir()).toString(), "list", "-q"))
        .doesNotContain("flip-");
  }

  @Test
  void reportsAnOomKillAsExitReasonOom() {
    String hog =
        """
        {"name":"hog","image":"%s","command":["sh","-c","echo eating; x=a; while true; do x=$x$x; done"],
         "resources":{"cpu":0.1,"memoryMiB":16},"instances":1}
        """
            .formatted(image);
    assertThat(berth.call("POST", "/api/v1/apps", hog).statusCode()).isEqualTo(201);
    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              JsonNode i = instance("hog", "hog-0");
              assertThat(i).isNotNull();
              assertThat(i.path("lastExit").path("reason").asText())
                  .as(i.toString())
                  .isEqualTo("oom");
            });
    List<JsonNode> oom = new ArrayList<>();
    berth
        .get("/api/v1/events?object=hog&type=Warning")
        .path("items")
        .forEach(
            e -> {
              if (e.path("reason").asText().equals("OOMKilled")) {
                oom.add(e);
              }
            });
    assertThat(oom).isNotEmpty();
    assertThat(oom.getFirst().path("object").asText()).isEqualTo("instance/hog-0");
    berth.call("DELETE", "/api/v1/apps/hog?confirm=hog", null);
  }

  @Test
  void servesTheLogOfAnInstanceAndFollowsIt() throws Exception {
    String talker =
        """
        {"name":"talker","image":"%s","command":["sh","-c","echo first line; echo to stderr >&2; i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done"],
         "instances":1}
        """
            .formatted(image);
    assertThat(berth.call("POST", "/api/v1/apps", talker).statusCode()).isEqualTo(201);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(
                        berth
                            .call(
                                "GET", "/api/v1/apps/talker/instances/talker-0/logs?tail=100", null)
                            .body())
                    .contains("first line", "to stderr"));
    HttpResponse<String> tail =
        berth.call("GET", "/api/v1/apps/talker/instances/talker-0/logs?tail=1", null);
    assertThat(tail.body().lines().count()).isEqualTo(1);

    HttpRequest follow =
        HttpRequest.newBuilder(
                berth.uri("/api/v1/apps/talker/instances/talker-0/logs?tail=0&follow=true"))
            .header("Authorization", "Bearer " + BerthServer.TOKEN)
            .build();
    HttpResponse<InputStream> stream =
        berth.http().send(follow, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      String line = r.readLine();
      assertThat(line).startsWith("tick ");
    }
    assertThat(berth.call("GET", "/api/v1/apps/talker/instances/talker-9/logs", null).statusCode())
        .isEqualTo(404);
    berth.call("DELETE", "/api/v1/apps/talker?confirm=talker", null);
  }

  @Test
  void streamsEventsAsTheyHappen() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpRequest req =
        HttpRequest.newBuilder(berth.uri("/api/v1/events/stream?object=streamed"))
            .header("Authorization", "Bearer " + BerthServer.TOKEN)
            .build();
    HttpResponse<java.util.stream.Stream<String>> resp =
        berth.http().send(req, HttpResponse.BodyHandlers.ofLines());
    assertThat(resp.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    Thread reader = Thread.ofVirtual().start(() -> resp.body().forEach(lines::add));
    try {
      assertThat(berth.call("POST", "/api/v1/apps", httpdApp("streamed", 1)).statusCode())
          .isEqualTo(201);
      await()
          .atMost(READY)
          .until(
              () ->
                  lines.stream()
                      .anyMatch(
                          l -> l.startsWith("data:") && l.contains("\"reason\":\"Created\"")));
      await()
          .atMost(READY)
          .until(
              () ->
                  lines.stream()
                      .anyMatch(l -> l.startsWith("data:") && l.contains("\"reason\":\"Ready\"")));
    } finally {
      resp.body().close();
      reader.interrupt();
      berth.call("DELETE", "/api/v1/apps/streamed?confirm=streamed", null);
    }
  }

  static List<String> eventReasons(String object) {
    List<String> reasons = new ArrayList<>();
    berth
        .get("/api/v1/events?limit=1000&object=" + object)
        .path("items")
        .forEach(e -> reasons.add(e.path("reason").asText()));
    return reasons;
  }
}
