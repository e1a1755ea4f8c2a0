package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.berth.server.task.HttpCallbackSender;
import dev.berth.server.testing.Kubeconfigs;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No secret can be read back: a task's callback secret (chosen and generated), a cluster's
 * kubeconfig token and the server's own {@code berth.secret-key} are looked for in every API
 * answer, every portal page, the server log (at DEBUG for Berth's own loggers) and the H2 database
 * file. Each look has a positive control (something harmless stored or shown beside the secret is
 * found), so that a look that cannot see anything cannot pass. To cover a new kind of secret, add
 * it to {@link #SECRETS} in the setup and the paths that show its object to {@link #apiPaths()} and
 * {@link #portalPaths()}.
 */
class SecretLeakIT {
  static final ObjectMapper JSON = new ObjectMapper();

  /** What must never be read back: a label for the failure message and the plain value. */
  record Secret(String what, String value) {}

  static final List<Secret> SECRETS = new ArrayList<>();
  static final List<String[]> CALLBACKS = new CopyOnWriteArrayList<>();
  static LocalBerth fixture;
  static BerthServer berth;
  static KubernetesMockServer api;
  static HttpServer receiver;
  static Path log;
  static String runId;

  @BeforeAll
  static void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        x -> {
          CALLBACKS.add(
              new String[] {
                x.getRequestHeaders().getFirst("X-Berth-Signature"),
                new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
              });
          x.sendResponseHeaders(204, -1);
          x.close();
        });
    receiver.start();
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    api.init(InetAddress.getLoopbackAddress(), 0);

    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String secretKey = Base64.getEncoder().encodeToString(key);
    SECRETS.add(new Secret("berth.secret-key", secretKey));
    log = Files.createTempDirectory("berth-leak-log").resolve("berth.log");
    fixture =
        LocalBerth.start(
            50,
            "secret leak",
            Map.of(
                "berth.secret-key",
                secretKey,
                "logging.file.name",
                log.toString(),
                "logging.level.dev.berth",
                "DEBUG"));
    berth = fixture.berth;

    String chosen = "cb-secret-" + random();
    SECRETS.add(new Secret("chosen callback secret", chosen));
    HttpResponse<String> sync =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task("leak-sync", "\"mode\":\"sync\",\"callbackSecret\":\"" + chosen + "\""));
    assertThat(sync.statusCode()).as(sync.body()).isEqualTo(201);
    assertThat(sync.body()).doesNotContain(chosen);
    runId = BerthServer.json(sync.body()).path("run").path("id").asText();

    HttpResponse<String> generated =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task(
                "leak-cron",
                "\"mode\":\"async\",\"trigger\":{\"type\":\"cron\",\"cron\":\"0 3 * * *\"}"));
    assertThat(generated.statusCode()).as(generated.body()).isEqualTo(201);
    String shownOnce = BerthServer.json(generated.body()).path("callbackSecret").asText();
    assertThat(shownOnce)
        .as("a generated secret is shown in the create answer, once")
        .hasSizeGreaterThanOrEqualTo(16);
    SECRETS.add(new Secret("generated callback secret", shownOnce));

    String k8sToken = "k8s-token-" + random();
    SECRETS.add(new Secret("kubeconfig token", k8sToken));
    HttpResponse<String> cluster =
        berth.call(
            "POST",
            "/api/v1/clusters",
            JSON.writeValueAsString(
                Map.of(
                    "name",
                    "k50",
                    "kubeconfig",
                    kubeconfig("http://127.0.0.1:" + api.getPort(), k8sToken),
                    "namespace",
                    "apps")));
    assertThat(cluster.statusCode()).as(cluster.body()).isEqualTo(201);
    String refusedToken = "k8s-refused-" + random();
    SECRETS.add(new Secret("token of a refused kubeconfig", refusedToken));
    HttpResponse<String> refused =
        berth.call(
            "POST",
            "/api/v1/clusters",
            JSON.writeValueAsString(
                Map.of(
                    "name",
                    "k50-down",
                    "kubeconfig",
                    kubeconfig("http://127.0.0.1:1", refusedToken))));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).doesNotContain(refusedToken);

    String registryPassword = "registry-password-" + random();
    SECRETS.add(new Secret("registry password", registryPassword));
    HttpResponse<String> registry =
        berth.call(
            "POST",
            "/api/v1/registries",
            JSON.writeValueAsString(
                Map.of(
                    "name",
                    "leak-registry",
                    "url",
                    fixture.registry.url(),
                    "username",
                    "berth",
                    "password",
                    registryPassword)));
    assertThat(registry.statusCode()).as(registry.body()).isEqualTo(201);
    assertThat(registry.body()).doesNotContain(registryPassword);
  }

  @AfterAll
  static void stop() {
    try {
      LocalBerth.close(fixture);
    } finally {
      if (api != null) {
        api.destroy();
      }
      if (receiver != null) {
        receiver.stop(0);
      }
    }
  }

  static String random() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String task(String name, String extra) {
    return "{\"name\":\""
        + name
        + "\",\"image\":\""
        + fixture.image
        + "\",\"command\":[\"true\"],\"callbackUrl\":\"http://127.0.0.1:"
        + receiver.getAddress().getPort()
        + "/hook/"
        + name
        + "-marker\","
        + extra
        + "}";
  }

  static String kubeconfig(String server, String token) {
    return Kubeconfigs.withToken(server, token);
  }

  static List<String> apiPaths() {
    return List.of(
        "/api/v1/tasks",
        "/api/v1/tasks/leak-sync",
        "/api/v1/tasks/leak-cron",
        "/api/v1/tasks/leak-sync/runs",
        "/api/v1/runs",
        "/api/v1/runs/" + runId,
        "/api/v1/runs/" + runId + "/logs",
        "/api/v1/clusters",
        "/api/v1/nodes?cluster=local",
        "/api/v1/events?limit=500",
        "/api/v1/apps",
        "/api/v1/registries",
        "/api/v1/registries/leak-registry",
        "/api/v1/openapi.json",
        "/actuator/health",
        "/actuator/info",
        "/actuator/prometheus");
  }

  static List<String> portalPaths() {
    return List.of(
        "/apps",
        "/tasks",
        "/tasks/new",
        "/runs/" + runId,
        "/clusters",
        "/nodes",
        "/events",
        "/users",
        "/images");
  }

  static void assertNoSecretIn(String where, String text) {
    for (Secret s : SECRETS) {
      assertThat(text).as(s.what() + " in " + where).doesNotContain(s.value());
    }
  }

  @Test
  void signsTheCallbackWithTheSealedSecret() {
    await().atMost(Duration.ofSeconds(30)).until(() -> !CALLBACKS.isEmpty());
    String[] delivered = CALLBACKS.getFirst();
    assertThat(delivered[0])
        .isEqualTo("sha256=" + HttpCallbackSender.sign(SECRETS.get(1).value(), delivered[1]));
    assertNoSecretIn("the callback body", delivered[1]);
  }

  @Test
  void noApiAnswerShowsASecret() {
    for (String path : apiPaths()) {
      HttpResponse<String> r = berth.call("GET", path, null);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      assertNoSecretIn("GET " + path, r.body());
    }
    assertThat(berth.call("GET", "/api/v1/tasks/leak-sync", null).body())
        .as("positive control")
        .contains("leak-sync-marker");
    assertThat(berth.call("GET", "/actuator/env", null).statusCode())
        .as("the environment, with berth.secret-key, is not exposed")
        .isEqualTo(404);
    assertThat(berth.call("GET", "/actuator/configprops", null).statusCode()).isEqualTo(404);
  }

  @Test
  void noPortalPageShowsASecret() {
    for (String path : portalPaths()) {
      HttpResponse<String> r = berth.call("GET", path, null);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .as(path)
          .startsWith("text/html");
      assertNoSecretIn("page " + path, r.body());
    }
    assertThat(berth.call("GET", "/tasks", null).body())
        .as("positive control")
        .contains("leak-cron");
    assertThat(berth.call("GET", "/clusters", null).body()).as("positive control").contains("k50");
  }

  @Test
  void theServerLogHasNoSecret() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> !CALLBACKS.isEmpty());
    String text = Files.readString(log);
    assertThat(text)
        .as("positive control: Berth logs at DEBUG into this file")
        .contains("dev.berth")
        .contains("task/leak-sync");
    assertNoSecretIn("the server log " + log, text);
  }

  @Test
  void theDatabaseFileHasNoPlainSecret() throws Exception {
    List<Path> files;
    try (Stream<Path> all = Files.walk(berth.dataDir().resolve("db"))) {
      files = all.filter(Files::isRegularFile).toList();
    }
    assertThat(files).isNotEmpty();
    StringBuilder bytes = new StringBuilder();
    for (Path f : files) {
      bytes.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
    }
    assertThat(bytes.toString())
        .as("positive control: the callback URL is stored in clear")
        .contains("leak-sync-marker");
    assertNoSecretIn("the H2 files " + files, bytes.toString());
  }
}
