package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * An app or task spec that a Kubernetes API server would refuse is refused on every cluster type —
 * here the local one, so that an app can move — with a 400 problem naming the field, and nothing is
 * stored.
 */
class KubernetesRulesIT {
  static LocalBerth fixture;
  static BerthServer berth;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(118, "kubernetes rules", Map.of());
    berth = fixture.berth;
    image = fixture.image;
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String app(String name, String extra) {
    return "{\"name\":\"" + name + "\",\"image\":\"" + image + "\",\"instances\":0" + extra + "}";
  }

  static Stream<Arguments> refusedApps() {
    return Stream.of(
        Arguments.of("a Service name must start with a letter", "1web", "", "name"),
        Arguments.of(
            "a Service with several ports names each",
            "k1",
            ",\"ports\":[{\"name\":\"http\",\"port\":80},{\"port\":81}]",
            "ports[1].name"),
        Arguments.of(
            "a port name needs a letter",
            "k2",
            ",\"ports\":[{\"name\":\"8080\",\"port\":8080}]",
            "ports[0].name"),
        Arguments.of(
            "a port name has at most 15 characters",
            "k3",
            ",\"ports\":[{\"name\":\"metrics-endpoint\",\"port\":9090}]",
            "ports[0].name"),
        Arguments.of(
            "a port name has no double hyphen",
            "k4",
            ",\"ports\":[{\"name\":\"a--b\",\"port\":9090}]",
            "ports[0].name"),
        Arguments.of(
            "liveness succeeds once",
            "k5",
            ",\"ports\":[{\"name\":\"http\",\"port\":80}],\"health\":{\"liveness\":{\"type\":\"tcp\",\"port\":80,\"successThreshold\":2}}",
            "health.liveness.successThreshold"),
        Arguments.of(
            "CPU in whole millicores", "k6", ",\"resources\":{\"cpu\":0.0005}", "resources.cpu"),
        Arguments.of(
            "CPU request within the limit",
            "k7",
            ",\"resources\":{\"cpu\":2,\"cpuLimit\":1}",
            "resources.cpuLimit"),
        Arguments.of(
            "a node label key is a qualified name",
            "k8",
            ",\"scheduling\":{\"nodeLabels\":{\"Example.com/disk\":\"ssd\"}}",
            "scheduling.nodeLabels.Example.com/disk"),
        Arguments.of(
            "a node label value has at most 63 characters",
            "k9",
            ",\"scheduling\":{\"nodeLabels\":{\"disk\":\"" + "s".repeat(64) + "\"}}",
            "scheduling.nodeLabels.disk"),
        Arguments.of(
            "restricted never runs as root",
            "k10",
            ",\"security\":{\"profile\":\"restricted\",\"runAsUser\":0}",
            "security.runAsUser"),
        Arguments.of(
            "an unknown profile",
            "k11",
            ",\"security\":{\"profile\":\"privileged\"}",
            "security.profile"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedApps")
  void refusesAnAppKubernetesWouldRefuseNamingTheFieldAndStoresNothing(
      String why, String name, String extra, String field) {
    HttpResponse<String> r = berth.call("POST", "/api/v1/apps", app(name, extra));
    assertProblem(r, field);
    assertThat(berth.call("GET", "/api/v1/apps/" + name, null).statusCode())
        .as("stored anyway")
        .isEqualTo(404);
  }

  @Test
  void anUpdateKubernetesWouldRefuseLeavesTheAppAsItWas() {
    HttpResponse<String> created =
        berth.call("POST", "/api/v1/apps", app("keep", ",\"ports\":[{\"port\":80}]"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long version = BerthServer.json(created.body()).path("version").asLong();
    HttpResponse<String> r =
        berth.call(
            "PUT",
            "/api/v1/apps/keep",
            app("keep", ",\"version\":" + version + ",\"ports\":[{\"port\":80},{\"port\":81}]"));
    assertProblem(r, "ports[0].name");
    JsonNode app = berth.get("/api/v1/apps/keep");
    assertThat(app.path("revision").asLong()).isEqualTo(1);
    assertThat(app.path("ports")).hasSize(1);
    assertThat(berth.get("/api/v1/apps/keep/revisions").path("items")).hasSize(1);
  }

  @Test
  void storesAndShowsTheRestrictedProfile() {
    HttpResponse<String> r =
        berth.call(
            "POST",
            "/api/v1/apps",
            app("locked", ",\"security\":{\"profile\":\"restricted\",\"runAsUser\":1000}"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode app = berth.get("/api/v1/apps/locked");
    assertThat(app.path("security").path("profile").asText()).isEqualTo("restricted");
    assertThat(app.path("security").path("runAsUser").asLong()).isEqualTo(1000);
  }

  @Test
  void refusesATaskKubernetesWouldRefuseAndStoresNothing() {
    String task =
        "{\"name\":\"job1\",\"image\":\""
            + image
            + "\",\"command\":[\"true\"],\"resources\":{\"cpu\":0.0001}}";
    assertProblem(berth.call("POST", "/api/v1/tasks", task), "resources.cpu");
    assertThat(berth.call("GET", "/api/v1/tasks/job1", null).statusCode()).isEqualTo(404);
  }

  private static void assertProblem(HttpResponse<String> r, String field) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode p = BerthServer.json(r.body());
    List<String> fields = new ArrayList<>();
    p.path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertThat(fields).as(r.body()).contains(field);
  }
}
