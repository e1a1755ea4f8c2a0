package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What every API client meets, against a real Berth: single fields change with a merge patch and
 * nothing else in the spec moves; a full replacement needs the version it replaces; unknown paths
 * answer a problem.
 */
class ApiConventionsIT {
  static LocalBerth fixture;
  static BerthServer berth;
  static String image2;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(117, "conventions", Map.of());
    berth = fixture.berth;
    image2 = TestImages.pushBusybox(fixture.registry.host() + "/demo/busybox:2", "second release");
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String app(String name) {
    return """
        {"name":"%s","image":"%s","command":["sleep","3600"],"args":["--quiet"],"env":{"MODE":"x","LEVEL":"3"},
         "resources":{"cpu":0.2,"memoryMiB":48},"instances":0}"""
        .formatted(name, fixture.image);
  }

  static JsonNode create(String name) {
    HttpResponse<String> r = berth.call("POST", "/api/v1/apps", app(name));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return BerthServer.json(r.body());
  }

  @Test
  void aPatchOfOnlyTheImageKeepsCommandEnvAndResources() {
    JsonNode before = create("patched");
    HttpResponse<String> r =
        berth.patch("/api/v1/apps/patched", "{\"image\":\"" + image2 + "\"}", BerthServer.TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode after = berth.get("/api/v1/apps/patched");
    assertThat(after.path("image").asText()).isEqualTo(image2);
    assertThat(after.path("revision").asLong()).isEqualTo(2);
    for (String kept :
        List.of("command", "args", "env", "resources", "instances", "ports", "health")) {
      assertThat(after.path(kept)).as(kept).isEqualTo(before.path(kept));
    }
    assertThat(after.path("version").asLong()).isGreaterThan(before.path("version").asLong());
    assertThat(r.headers().firstValue("ETag"))
        .contains("\"" + after.path("version").asLong() + "\"");
  }

  @Test
  void aPatchMergesObjectsRemovesWhatIsNullAndReplacesArrays() {
    create("merged");
    HttpResponse<String> r =
        berth.patch(
            "/api/v1/apps/merged",
            "{\"env\":{\"LEVEL\":null,\"NEW\":\"1\"},\"args\":null,\"command\":[\"sleep\",\"60\"]}",
            BerthServer.TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode after = berth.get("/api/v1/apps/merged");
    assertThat(after.path("env").toString()).isEqualTo("{\"MODE\":\"x\",\"NEW\":\"1\"}");
    assertThat(after.path("args").size()).isZero();
    assertThat(after.path("command").toString()).isEqualTo("[\"sleep\",\"60\"]");
    assertThat(after.path("resources").path("memoryMiB").asInt()).isEqualTo(48);
  }

  @Test
  void aPatchThatChangesNothingMakesNoRevisionAndABadOneIsCheckedLikeAPut() {
    JsonNode before = create("unchanged");
    HttpResponse<String> same =
        berth.patch("/api/v1/apps/unchanged", "{\"env\":{\"MODE\":\"x\"}}", BerthServer.TOKEN);
    assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    assertThat(BerthServer.json(same.body()).path("revision").asLong()).isEqualTo(1);
    assertThat(BerthServer.json(same.body()).path("version").asLong())
        .isEqualTo(before.path("version").asLong());

    HttpResponse<String> bad =
        berth.patch(
            "/api/v1/apps/unchanged",
            "{\"image\":null,\"resources\":{\"memoryMiB\":-1}}",
            BerthServer.TOKEN);
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(fields(bad)).contains("image", "resources.memoryMiB");
    HttpResponse<String> wrongType =
        berth.patch("/api/v1/apps/unchanged", "{\"instances\":\"many\"}", BerthServer.TOKEN);
    assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(400);
    assertThat(fields(wrongType)).containsExactly("instances");
    assertThat(berth.get("/api/v1/apps/unchanged").path("revision").asLong())
        .as("nothing half-changed")
        .isEqualTo(1);
  }

  @Test
  void aPutNeedsTheVersionItReplaces() {
    JsonNode created = create("replaced");
    long version = created.path("version").asLong();
    String full = app("replaced").replace("\"MODE\":\"x\"", "\"MODE\":\"y\"");

    HttpResponse<String> without = berth.call("PUT", "/api/v1/apps/replaced", full);
    assertThat(without.statusCode()).as(without.body()).isEqualTo(428);
    assertThat(without.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(fields(without)).containsExactly("version");
    assertThat(BerthServer.json(without.body()).path("detail").asText()).contains("PATCH");

    HttpResponse<String> ok =
        berth.call(
            "PUT",
            "/api/v1/apps/replaced",
            full.replace("\"instances\":0", "\"instances\":0,\"version\":" + version));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(BerthServer.json(ok.body()).path("env").path("MODE").asText()).isEqualTo("y");

    HttpResponse<String> stale =
        berth.call(
            "PUT",
            "/api/v1/apps/replaced",
            full.replace("\"instances\":0", "\"instances\":0,\"version\":" + version));
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
    assertThat(BerthServer.json(stale.body()).path("detail").asText())
        .contains("changed by someone else");
  }

  @Test
  void aPutMayNameTheVersionAsIfMatch() {
    create("matched");
    HttpResponse<String> read = berth.call("GET", "/api/v1/apps/matched", null);
    String etag = read.headers().firstValue("ETag").orElseThrow();
    String full = app("matched").replace("\"LEVEL\":\"3\"", "\"LEVEL\":\"4\"");
    HttpResponse<String> ok = put("/api/v1/apps/matched", full, etag);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    HttpResponse<String> stale = put("/api/v1/apps/matched", full, etag);
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
    assertThat(berth.get("/api/v1/apps/matched").path("env").path("LEVEL").asText()).isEqualTo("4");
  }

  @Test
  void unknownApiPathsAnswerAProblemAndUnknownPortalPathsThePage() throws Exception {
    HttpResponse<String> api = berth.call("GET", "/api/v1/nope", null);
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = BerthServer.json(api.body());
    assertThat(problem.path("status").asInt()).isEqualTo(404);
    assertThat(problem.path("detail").asText())
        .contains("/api/v1/nope")
        .contains("openapi.json")
        .doesNotContain("static resource");

    HttpResponse<String> portal = berth.call("GET", "/nope", null);
    assertThat(portal.statusCode()).isEqualTo(404);
    assertThat(portal.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
  }

  @Test
  void everyListAnswersOneEnvelopeAndEveryListEndpointIsHere() {
    create("listed");
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/registries",
                    "{\"name\":\"main\",\"url\":\"" + fixture.registry.url() + "\"}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/tasks",
                    "{\"name\":\"listed-task\",\"image\":\""
                        + fixture.image
                        + "\",\"command\":[\"true\"],\"trigger\":{\"type\":\"cron\",\"cron\":\"0 3 1 1 *\"}}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/replications",
                    "{\"name\":\"copy\",\"sourceRegistry\":\"main\",\"filter\":\"none/*\",\"targets\":[{\"registry\":\"main\",\"namespace\":\"copy\"}]}")
                .statusCode())
        .isEqualTo(201);
    create("listed-next");
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/pipelines",
                    "{\"name\":\"listed\",\"environments\":[{\"name\":\"a\",\"app\":\"listed\"},"
                        + "{\"name\":\"b\",\"app\":\"listed-next\"}]}")
                .statusCode())
        .isEqualTo(201);
    Map<String, String> lists =
        new java.util.TreeMap<>(
            Map.ofEntries(
                Map.entry("/api/v1/pipelines", "/api/v1/pipelines"),
                Map.entry(
                    "/api/v1/pipelines/{pipeline}/promotions",
                    "/api/v1/pipelines/listed/promotions"),
                Map.entry("/api/v1/apps", "/api/v1/apps"),
                Map.entry("/api/v1/apps/{app}/revisions", "/api/v1/apps/listed/revisions"),
                Map.entry("/api/v1/apps/{app}/instances", "/api/v1/apps/listed/instances"),
                Map.entry("/api/v1/apps/{app}/releases", "/api/v1/apps/listed/releases"),
                Map.entry("/api/v1/events", "/api/v1/events"),
                Map.entry("/api/v1/tasks", "/api/v1/tasks"),
                Map.entry("/api/v1/tasks/{task}/runs", "/api/v1/tasks/listed-task/runs"),
                Map.entry("/api/v1/runs", "/api/v1/runs"),
                Map.entry("/api/v1/teams", "/api/v1/teams"),
                Map.entry("/api/v1/teams/{team}/members", "/api/v1/teams/default/members"),
                Map.entry("/api/v1/users", "/api/v1/users"),
                Map.entry("/api/v1/users/{user}/tokens", "/api/v1/users/admin/tokens"),
                Map.entry("/api/v1/registries", "/api/v1/registries"),
                Map.entry(
                    "/api/v1/registries/{name}/repository-teams",
                    "/api/v1/registries/main/repository-teams"),
                Map.entry("/api/v1/replications", "/api/v1/replications"),
                Map.entry("/api/v1/replications/{name}/jobs", "/api/v1/replications/copy/jobs"),
                Map.entry("/api/v1/images", "/api/v1/images?registry=main"),
                Map.entry("/api/v1/builds", "/api/v1/builds"),
                Map.entry("/api/v1/build-templates", "/api/v1/build-templates"),
                Map.entry("/api/v1/clusters", "/api/v1/clusters"),
                Map.entry("/api/v1/nodes", "/api/v1/nodes"),
                Map.entry("/api/v1/clusters/{cluster}/pools", "/api/v1/clusters/local/pools"),
                Map.entry(
                    "/api/v1/clusters/{cluster}/inspections", "/api/v1/clusters/local/inspections"),
                Map.entry("/api/v1/metrics", "/api/v1/metrics"),
                Map.entry(
                    "/api/v1/metrics/latest", "/api/v1/metrics/latest?metric=berth_node_pid_max"),
                Map.entry("/api/v1/alert-rules", "/api/v1/alert-rules"),
                Map.entry("/api/v1/alert-rules/metrics", "/api/v1/alert-rules/metrics"),
                Map.entry("/api/v1/alerts", "/api/v1/alerts"),
                Map.entry("/api/v1/receivers", "/api/v1/receivers"),
                Map.entry("/api/v1/silences", "/api/v1/silences"),
                Map.entry("/api/v1/audit", "/api/v1/audit")));
    var mapping =
        berth.bean(
            "requestMappingHandlerMapping",
            org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping
                .class);
    java.util.Set<String> served = new java.util.TreeSet<>();
    mapping
        .getHandlerMethods()
        .forEach(
            (info, method) -> {
              Class<?> returned = method.getMethod().getReturnType();
              if (!method.getBeanType().getPackageName().startsWith("dev.berth.server")) {
                return;
              }
              assertThat(
                      java.util.Collection.class.isAssignableFrom(returned) || returned.isArray())
                  .as(method + " answers a bare list; answer a ListJson")
                  .isFalse();
              if (returned == dev.berth.server.web.ListJson.class
                  && info.getMethodsCondition()
                      .getMethods()
                      .contains(org.springframework.web.bind.annotation.RequestMethod.GET)) {
                info.getPatternValues().forEach(served::add);
              }
            });
    assertThat(lists.keySet()).as("list endpoints").isEqualTo(served);
    for (String path : lists.values()) {
      HttpResponse<String> r = berth.call("GET", path, null);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      JsonNode page = BerthServer.json(r.body());
      assertThat(page.path("items").isArray()).as(path).isTrue();
      assertThat(page.has("next")).as(path + " names the next page, null on the last").isTrue();
      assertThat(page.path("next").isNull() || page.path("next").isTextual()).as(path).isTrue();
    }
  }

  @Test
  void aCursorWalksThroughAListAndNothingIsSeenTwice() {
    for (String name : List.of("walk-a", "walk-b", "walk-c")) {
      create(name);
    }
    List<String> seen = new ArrayList<>();
    String cursor = "";
    do {
      JsonNode page = berth.get("/api/v1/apps?size=2&q=walk-&cursor=" + cursor);
      page.path("items").forEach(a -> seen.add(a.path("name").asText()));
      assertThat(page.path("total").asLong()).isEqualTo(3);
      cursor = page.path("next").isNull() ? null : page.path("next").asText();
    } while (cursor != null);
    assertThat(seen).containsExactly("walk-a", "walk-b", "walk-c");

    List<Long> events = new ArrayList<>();
    String next = "";
    do {
      JsonNode page = berth.get("/api/v1/events?object=walk-b&size=1&cursor=" + next);
      page.path("items").forEach(e -> events.add(e.path("id").asLong()));
      next = page.path("next").isNull() ? null : page.path("next").asText();
    } while (next != null && events.size() < 50);
    assertThat(events)
        .isNotEmpty()
        .doesNotHaveDuplicates()
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(fields(berth.call("GET", "/api/v1/apps?cursor=x", null))).containsExactly("cursor");
  }

  @Test
  void booleansAreJsonBooleans() {
    HttpResponse<String> created =
        berth.call(
            "POST", "/api/v1/apps", app("flag").replace("\"instances\":0", "\"instances\":1"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> berth.get("/api/v1/apps/flag/instances").path("items").size() == 1);
    HttpResponse<String> r =
        berth.call("DELETE", "/api/v1/apps/flag/instances/flag-0?replace=false", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(BerthServer.json(r.body()).path("replaced").isBoolean()).as(r.body()).isTrue();
    assertThat(BerthServer.json(r.body()).path("replaced").asBoolean()).isFalse();
    JsonNode team = berth.get("/api/v1/teams").path("items").get(0);
    assertThat(team.path("production").isBoolean()).as(team.toString()).isTrue();
  }

  static HttpResponse<String> put(String path, String body, String ifMatch) {
    try {
      return berth
          .http()
          .send(
              java.net.http.HttpRequest.newBuilder(berth.uri(path))
                  .header("Authorization", "Bearer " + BerthServer.TOKEN)
                  .header("Content-Type", "application/json")
                  .header("If-Match", ifMatch)
                  .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static List<String> fields(HttpResponse<String> r) {
    List<String> fields = new ArrayList<>();
    BerthServer.json(r.body()).path("errors").forEach(e -> fields.add(e.path("field").asText()));
    return fields;
  }
}
