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
         "resources":{"cpu":0.2,"memoryMiB":48},"instances":0}""".formatted(name, fixture.image);
  }

  static JsonNode create(String name) {
    HttpResponse<String> r = berth.call("POST", "/api/v1/apps", app(name));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return BerthServer.json(r.body());
  }

  @Test
  void aPatchOfOnlyTheImageKeepsCommandEnvAndResources() {
    JsonNode before = create("patched");
    HttpResponse<String> r = berth.patch("/api/v1/apps/patched", "{\"image\":\"" + image2 + "\"}", BerthServer.TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode after = berth.get("/api/v1/apps/patched");
    assertThat(after.path("image").asText()).isEqualTo(image2);
    assertThat(after.path("revision").asLong()).isEqualTo(2);
    for (String kept : List.of("command", "args", "env", "resources", "instances", "ports", "health")) {
      assertThat(after.path(kept)).as(kept).isEqualTo(before.path(kept));
    }
    assertThat(after.path("version").asLong()).isGreaterThan(before.path("version").asLong());
    assertThat(r.headers().firstValue("ETag")).contains("\"" + after.path("version").asLong() + "\"");
  }

  @Test
  void aPatchMergesObjectsRemovesWhatIsNullAndReplacesArrays() {
    create("merged");
    HttpResponse<String> r = berth.patch("/api/v1/apps/merged", "{\"env\":{\"LEVEL\":null,\"NEW\":\"1\"},\"args\":null,\"command\":[\"sleep\",\"60\"]}", BerthServer.TOKEN);
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
    HttpResponse<String> same = berth.patch("/api/v1/apps/unchanged", "{\"env\":{\"MODE\":\"x\"}}", BerthServer.TOKEN);
    assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    assertThat(BerthServer.json(same.body()).path("revision").asLong()).isEqualTo(1);
    assertThat(BerthServer.json(same.body()).path("version").asLong()).isEqualTo(before.path("version").asLong());

    HttpResponse<String> bad = berth.patch("/api/v1/apps/unchanged", "{\"image\":null,\"resources\":{\"memoryMiB\":-1}}", BerthServer.TOKEN);
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(fields(bad)).contains("image", "resources.memoryMiB");
    HttpResponse<String> wrongType = berth.patch("/api/v1/apps/unchanged", "{\"instances\":\"many\"}", BerthServer.TOKEN);
    assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(400);
    assertThat(fields(wrongType)).containsExactly("instances");
    assertThat(berth.get("/api/v1/apps/unchanged").path("revision").asLong()).as("nothing half-changed").isEqualTo(1);
  }

  @Test
  void aPutNeedsTheVersionItReplaces() {
    JsonNode created = create("replaced");
    long version = created.path("version").asLong();
    String full = app("replaced").replace("\"MODE\":\"x\"", "\"MODE\":\"y\"");

    HttpResponse<String> without = berth.call("PUT", "/api/v1/apps/replaced", full);
    assertThat(without.statusCode()).as(without.body()).isEqualTo(428);
    assertThat(without.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(fields(without)).containsExactly("version");
    assertThat(BerthServer.json(without.body()).path("detail").asText()).contains("PATCH");

    HttpResponse<String> ok = berth.call("PUT", "/api/v1/apps/replaced", full.replace("\"instances\":0", "\"instances\":0,\"version\":" + version));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(BerthServer.json(ok.body()).path("env").path("MODE").asText()).isEqualTo("y");

    HttpResponse<String> stale = berth.call("PUT", "/api/v1/apps/replaced", full.replace("\"instances\":0", "\"instances\":0,\"version\":" + version));
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
    assertThat(BerthServer.json(stale.body()).path("detail").asText()).contains("changed by someone else");
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
    assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = BerthServer.json(api.body());
    assertThat(problem.path("status").asInt()).isEqualTo(404);
    assertThat(problem.path("detail").asText()).contains("/api/v1/nope").contains("openapi.json").doesNotContain("static resource");

    HttpResponse<String> portal = berth.call("GET", "/nope", null);
    assertThat(portal.statusCode()).isEqualTo(404);
    assertThat(portal.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
  }

  static HttpResponse<String> put(String path, String body, String ifMatch) {
    try {
      return berth.http().send(java.net.http.HttpRequest.newBuilder(berth.uri(path))
          .header("Authorization", "Bearer " + BerthServer.TOKEN).header("Content-Type", "application/json").header("If-Match", ifMatch)
          .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
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
