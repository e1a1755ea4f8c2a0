package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad request gets a 4xx problem+json that names the field, and nothing is half-created. */
class BadInputIT {
  static TestRegistry registry;
  static BerthServer berth;
  static String image;

  static LocalBerth fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(2, "bad input", Map.of());
    registry = fixture.registry;
    image = fixture.image;
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String app(String name, String extra) {
    return "{\"name\":\"" + name + "\",\"image\":\"" + image + "\"" + extra + "}";
  }

  static Stream<Arguments> badApps() {
    return Stream.of(
        Arguments.of("invalid name", "{\"name\":\"Bad_Name\",\"image\":\"IMAGE\"}", "name"),
        Arguments.of("path in name", "{\"name\":\"../etc\",\"image\":\"IMAGE\"}", "name"),
        Arguments.of("unknown cluster", app("c1", ",\"cluster\":\"mars\""), "cluster"),
        Arguments.of(
            "missing tag", "{\"name\":\"c2\",\"image\":\"REGISTRY/demo/busybox:nope\"}", "image"),
        Arguments.of(
            "missing repository",
            "{\"name\":\"c3\",\"image\":\"REGISTRY/demo/nothing:1\"}",
            "image"),
        Arguments.of(
            "unreachable registry",
            "{\"name\":\"c4\",\"image\":\"127.0.0.1:1/demo/busybox:1\"}",
            "image"),
        Arguments.of("negative instances", app("c5", ",\"instances\":-1"), "instances"),
        Arguments.of(
            "port out of range", app("c6", ",\"ports\":[{\"port\":70000}]"), "ports[0].port"),
        Arguments.of(
            "memory too small",
            app("c7", ",\"resources\":{\"memoryMiB\":1}"),
            "resources.memoryMiB"),
        Arguments.of("unknown field", app("c8", ",\"imgae\":\"x\""), "imgae"),
        Arguments.of("wrong type", app("c9", ",\"instances\":\"many\""), "instances"),
        Arguments.of(
            "bad enum",
            app("c10", ",\"resources\":{\"cpuPolicy\":\"turbo\"}"),
            "resources.cpuPolicy"),
        Arguments.of(
            "http check without port",
            app("c11", ",\"health\":{\"readiness\":{\"type\":\"http\"}}"),
            "health.readiness.port"),
        Arguments.of(
            "strict spread over more instances than hosts",
            app("c12", ",\"instances\":2,\"scheduling\":{\"spread\":\"strict\"}"),
            "scheduling.spread"),
        Arguments.of(
            "bad node label",
            app("c13", ",\"scheduling\":{\"prefer\":{\"disk\":\"ssd fast\"}}"),
            "scheduling.prefer.disk"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badApps")
  void refusesABadAppNamingTheFieldAndCreatesNothing(String why, String body, String field) {
    String json = body.replace("IMAGE", image).replace("REGISTRY", registry.host());
    HttpResponse<String> r = berth.call("POST", "/api/v1/apps", json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode p = BerthServer.json(r.body());
    List<String> fields = new ArrayList<>();
    p.path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertThat(fields).as(r.body()).contains(field);
    assertThat(p.path("detail").asText()).isNotBlank();
    assertThat(berth.get("/api/v1/apps").path("total").asLong()).isZero();
  }

  @Test
  void refusesMalformedJson() {
    HttpResponse<String> r = berth.call("POST", "/api/v1/apps", "{\"name\": \"x\", ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(BerthServer.json(r.body()).path("title").asText()).isEqualTo("Malformed JSON");
  }

  @Test
  void answersUnknownAppsWith404() {
    HttpResponse<String> r = berth.call("GET", "/api/v1/apps/nothing-here", null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(BerthServer.json(r.body()).path("detail").asText())
        .isEqualTo("app 'nothing-here' does not exist");
  }

  @Test
  void refusesScalingBelowZero() {
    HttpResponse<String> r =
        berth.call("POST", "/api/v1/apps/nothing-here/scale", "{\"instances\":-3}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"field\":\"instances\"");
  }

  @Test
  void refusesEveryApiCallWithoutAValidToken() {
    for (String path :
        List.of("/api/v1/apps", "/api/v1/clusters", "/api/v1/events", "/api/v1/openapi.json")) {
      for (String token : new String[] {null, "berth_wrong"}) {
        HttpResponse<String> r = berth.call("GET", path, null, token);
        assertThat(r.statusCode()).as(path).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
            .startsWith("application/problem+json");
      }
    }
  }

  @Test
  void describesTheApiWithOpenApi() {
    JsonNode doc = berth.get("/api/v1/openapi.json");
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    assertThat(doc.path("paths").has("/api/v1/apps")).isTrue();
    assertThat(doc.path("paths").has("/api/v1/apps/{app}/instances/{id}/logs")).isTrue();
  }

  @Test
  void listsTheLocalClusterAndItsNode() {
    JsonNode clusters = berth.get("/api/v1/clusters").path("items");
    assertThat(clusters.get(0).path("name").asText()).isEqualTo("local");
    assertThat(clusters.get(0).path("status").asText()).isEqualTo("Ready");
    JsonNode nodes = berth.get("/api/v1/nodes?cluster=local").path("items");
    assertThat(nodes).hasSize(1);
    assertThat(nodes.get(0).path("capacity").path("cpu").asDouble()).isPositive();
    assertThat(berth.call("GET", "/api/v1/nodes?cluster=mars", null).statusCode()).isEqualTo(404);
  }
}
