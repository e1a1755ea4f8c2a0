package dev.berth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.BerthApplication;
import dev.berth.server.testing.Kubeconfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Registering Kubernetes clusters through the REST API against fabric8's mock API server on
 * loopback.
 */
@SpringBootTest(
    classes = BerthApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClusterRegistrationTest {
  static final String TOKEN = "berth_cluster-registration-test-token-0123456789";
  static final String K8S_TOKEN = "k8s-secret-token-never-shown";
  static Path dataDir;
  static KubernetesMockServer api;
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  @BeforeAll
  static void startApi() throws Exception {
    dataDir = Files.createTempDirectory("berth-clusters");
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    api.init(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterAll
  static void stopApi() {
    api.destroy();
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.datasource.url",
        () -> "jdbc:h2:mem:clusters-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    registry.add("berth.data-dir", () -> dataDir.toString());
    registry.add("berth.admin-token", () -> TOKEN);
    registry.add("berth.local.enabled", () -> "false");
    registry.add("server.port", () -> "0");
  }

  static String kubeconfig(String server, String token) {
    return Kubeconfigs.withToken(server, token);
  }

  static String register(String name, String kubeconfig) throws Exception {
    return JSON.writeValueAsString(
        Map.of("name", name, "kubeconfig", kubeconfig, "namespace", "apps", "zone", "z1"));
  }

  @Test
  void registersAClusterChecksItAndNeverShowsItsCredentials() throws Exception {
    String server = "http://127.0.0.1:" + api.getPort();
    HttpResponse<String> created =
        call("POST", "/api/v1/clusters", register("k1", kubeconfig(server, K8S_TOKEN)));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).doesNotContain(K8S_TOKEN).doesNotContain("kubeconfig");
    HttpResponse<String> list = call("GET", "/api/v1/clusters", null);
    assertThat(list.body()).doesNotContain(K8S_TOKEN);
    JsonNode k1 = find(JSON.readTree(list.body()).path("items"), "k1");
    assertThat(k1.path("type").asText()).isEqualTo("kubernetes");
    assertThat(k1.path("zone").asText()).isEqualTo("z1");
    assertThat(k1.path("namespace").asText()).isEqualTo("apps");
    assertThat(k1.path("status").asText()).isEqualTo("Ready");
    String stored =
        jdbc.sql("SELECT config FROM clusters WHERE name = 'k1'").query(String.class).single();
    assertThat(stored).doesNotContain(K8S_TOKEN).contains("\"kubeconfig\":\"v1:");
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("secret.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(
            call("POST", "/api/v1/clusters", register("k1", kubeconfig(server, K8S_TOKEN)))
                .statusCode())
        .isEqualTo(409);

    // An app on that cluster becomes a StatefulSet, its manifests are served, and the cluster
    // cannot go while it runs.
    HttpResponse<String> app =
        call(
            "POST",
            "/api/v1/apps",
            "{\"name\":\"web\",\"cluster\":\"k1\",\"image\":\"busybox:1\",\"instances\":2,\"ports\":[{\"name\":\"http\",\"port\":8080}]}");
    assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
    try (KubernetesClient client = api.createClient()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> client.apps().statefulSets().inNamespace("apps").withName("web").get() != null);
      assertThat(
              client
                  .apps()
                  .statefulSets()
                  .inNamespace("apps")
                  .withName("web")
                  .get()
                  .getSpec()
                  .getReplicas())
          .isEqualTo(2);
    }
    HttpResponse<String> yaml = call("GET", "/api/v1/apps/web/manifests", null);
    assertThat(yaml.statusCode()).as(yaml.body()).isEqualTo(200);
    assertThat(yaml.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
    assertThat(yaml.body())
        .contains("kind: \"Service\"")
        .contains("kind: \"StatefulSet\"")
        .contains("podManagementPolicy: \"Parallel\"");
    HttpResponse<String> busy = call("DELETE", "/api/v1/clusters/k1?confirm=k1", null);
    assertThat(busy.statusCode()).as(busy.body()).isEqualTo(409);
    assertThat(busy.body()).contains("web");
  }

  @Test
  void refusesAWrongKubeconfigWithAProblemNamingIt() throws Exception {
    HttpResponse<String> garbage =
        call("POST", "/api/v1/clusters", register("bad1", "this: [is not a kubeconfig"));
    assertProblem(garbage, "kubeconfig");
    HttpResponse<String> unreachable =
        call("POST", "/api/v1/clusters", register("bad2", kubeconfig("http://127.0.0.1:1", "t")));
    assertProblem(unreachable, "kubeconfig");
    assertThat(unreachable.body()).contains("cannot be reached");
    HttpResponse<String> missing =
        call("POST", "/api/v1/clusters", JSON.writeValueAsString(Map.of("name", "bad3")));
    assertProblem(missing, "kubeconfig");
    HttpResponse<String> badName =
        call(
            "POST",
            "/api/v1/clusters",
            register("Bad_Name", kubeconfig("http://127.0.0.1:1", "t")));
    assertProblem(badName, "name");
    assertThat(call("GET", "/api/v1/clusters", null).body()).doesNotContain("bad1", "bad2", "bad3");
  }

  @Test
  void refusesCredentialsTheApiServerRejects() throws Exception {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer strict =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    strict.init(InetAddress.getLoopbackAddress(), 0);
    try {
      strict
          .expect()
          .get()
          .withPath("/apis/apps/v1/namespaces/apps/statefulsets?limit=1")
          .andReturn(401, "{\"kind\":\"Status\",\"code\":401,\"message\":\"Unauthorized\"}")
          .always();
      HttpResponse<String> r =
          call(
              "POST",
              "/api/v1/clusters",
              register("bad4", kubeconfig("http://127.0.0.1:" + strict.getPort(), "expired")));
      assertProblem(r, "kubeconfig");
      assertThat(r.body()).contains("rejected the credentials");
      strict
          .expect()
          .get()
          .withPath("/apis/apps/v1/namespaces/locked/statefulsets?limit=1")
          .andReturn(
              403,
              "{\"kind\":\"Status\",\"code\":403,\"message\":\"statefulsets.apps is forbidden\"}")
          .always();
      HttpResponse<String> forbidden =
          call(
              "POST",
              "/api/v1/clusters",
              JSON.writeValueAsString(
                  Map.of(
                      "name",
                      "bad5",
                      "kubeconfig",
                      kubeconfig("http://127.0.0.1:" + strict.getPort(), "weak"),
                      "namespace",
                      "locked")));
      assertProblem(forbidden, "kubeconfig");
      assertThat(forbidden.body()).contains("forbidden by RBAC");
    } finally {
      strict.destroy();
    }
  }

  private static void assertProblem(HttpResponse<String> r, String field) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode p = JSON.readTree(r.body());
    assertThat(p.path("errors").findValuesAsText("field")).as(r.body()).contains(field);
  }

  private static JsonNode find(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no cluster " + name + " in " + list);
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(30));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
