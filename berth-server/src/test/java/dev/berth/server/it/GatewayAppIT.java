package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Berth with its gateway on: a real nginx with the Lua module in front of real runc instances.
 * Routes from the app spec, a release under load without a failed request, the gateway's metrics,
 * mirroring through the API, a Berth restart that leaves nginx alone, and an instance taken offline
 * by hand that stays out of the gateway through a restart of nginx and of Berth.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayAppIT {
  static LocalBerth fixture;
  static BerthServer berth;
  static int port;
  static Path gatewayDir;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    fixture =
        LocalBerth.start(
            165,
            "hello through the gateway",
            Map.of(
                "berth.gateway.enabled", "true",
                "berth.gateway.http-port", String.valueOf(port),
                "berth.gateway.listen-address", "127.0.0.1",
                // the release under load proves the shipped drain, not the tests' short one
                "berth.traffic.drain-timeout", "5s"));
    berth = fixture.berth;
    gatewayDir = berth.dataDir().resolve("gateway");
  }

  @AfterAll
  static void stop() throws IOException {
    Long master = null;
    if (gatewayDir != null && Files.exists(gatewayDir.resolve("nginx.pid"))) {
      master = Long.parseLong(Files.readString(gatewayDir.resolve("nginx.pid")).strip());
    }
    try {
      LocalBerth.close(fixture);
    } finally {
      if (master != null) {
        ProcessHandle.of(master)
            .ifPresent(
                m -> {
                  List<ProcessHandle> workers = m.children().toList();
                  m.destroyForcibly();
                  workers.forEach(ProcessHandle::destroyForcibly);
                });
      }
    }
  }

  static String app(String name, int instances, String routes) {
    return """
        {"name":"%s","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "ports":[{"name":"http","port":8080}],
         "resources":{"cpu":0.2,"cpuLimit":1,"memoryMiB":32},
         "instances":%d,
         "health":{"readiness":{"type":"http","port":8080,"path":"/","periodSeconds":1}},
         "routes":%s}
        """
        .formatted(name, fixture.image, instances, routes);
  }

  static void awaitRunning(String app, int ready, int revision) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              JsonNode s = berth.get("/api/v1/apps/" + app).path("status");
              assertThat(s.path("phase").asText()).as(s.toString()).isEqualTo("Running");
              assertThat(s.path("ready").asInt()).isEqualTo(ready);
              assertThat(s.path("revision").asInt()).isEqualTo(revision);
            });
  }

  /** status and body of a GET through the gateway with {@code Host: host}. */
  static String[] through(String host, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      return new String[] {
        text.substring(9, 12),
        end < 0 ? "" : text.substring(end + 4),
        end < 0 ? text : text.substring(0, end)
      };
    }
  }

  @Test
  @Order(1)
  void routesOfTheSpecReachTheInstancesAndAHostAndPathBelongToOneApp() throws Exception {
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/apps",
            app("web", 2, "[{\"host\":\"web.test\",\"path\":\"/\",\"port\":\"http\"}]"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    awaitRunning("web", 2, 1);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> assertThat(through("web.test", "/")[1]).contains("hello through the gateway"));
    assertThat(through("other.test", "/")[0]).isEqualTo("404");

    HttpResponse<String> conflict =
        berth.call(
            "POST",
            "/api/v1/apps",
            app("web2", 1, "[{\"host\":\"web.test\",\"path\":\"/\",\"port\":\"http\"}]"));
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.body()).contains("routes[0] web.test/ is already claimed by app 'web'");

    HttpResponse<String> bad =
        berth.call(
            "POST",
            "/api/v1/apps",
            app("web3", 1, "[{\"host\":\"bad_host\",\"path\":\"nope\",\"port\":\"http\"}]"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("routes[0].host").contains("routes[0].path");
    assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    HttpResponse<String> metrics = berth.call("GET", "/actuator/prometheus", null);
    assertThat(metrics.body())
        .contains("berth_gateway_requests_total{app=\"web\",code=\"200\",instance=\"web-")
        .contains("berth_gateway_request_duration_seconds_bucket{app=\"web\",instance=\"web-");
  }

  @Test
  @Order(2)
  void aReleaseUnderLoadThroughTheGatewayFailsNoRequestAndReloadsNothing() throws Exception {
    berth.call(
        "POST",
        "/api/v1/apps",
        app("roll", 3, "[{\"host\":\"roll.test\",\"path\":\"/\",\"port\":\"http\"}]"));
    awaitRunning("roll", 3, 1);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(through("roll.test", "/")[0]).isEqualTo("200"));
    // the reload that added roll.test must be over: the release is measured, not that reload's tail
    awaitReloadOver();
    long reloads = berth.get("/api/v1/gateway").path("reloads").asLong();

    AtomicInteger ok = new AtomicInteger();
    List<String> failed = new CopyOnWriteArrayList<>();
    // About 50 requests a second to the loopback gateway, until the release is done (at most the
    // 90 s awaitRunning allows).
    java.util.concurrent.ScheduledExecutorService load =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    load.scheduleWithFixedDelay(
        () -> request(ok, failed), 0, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
    JsonNode current = berth.get("/api/v1/apps/roll");
    HttpResponse<String> update =
        berth.call(
            "PUT",
            "/api/v1/apps/roll",
            app("roll", 3, "[{\"host\":\"roll.test\",\"path\":\"/\",\"port\":\"http\"}]")
                .replace("\"instances\":3,", "\"instances\":3,\"env\":{\"RELEASE\":\"2\"},")
                .replaceFirst("\\{", "{\"version\":" + current.path("version").asLong() + ","));
    assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
    awaitRunning("roll", 3, 2);
    load.shutdown();
    assertThat(load.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    if (!failed.isEmpty()) {
      System.out.println(
          "DIAG failures: "
              + failed.size()
              + "\n"
              + String.join("\n----\n", failed.subList(0, Math.min(3, failed.size()))));
      System.out.println("DIAG events: " + berth.get("/api/v1/events?limit=200"));
      System.out.println("DIAG error.log: " + Files.readString(gatewayDir.resolve("error.log")));
    }
    assertThat(failed).isEmpty();
    assertThat(ok.get()).isGreaterThan(0);
    assertThat(berth.get("/api/v1/gateway").path("reloads").asLong()).isEqualTo(reloads);
  }

  @Test
  @Order(3)
  void mirroringThroughTheApiCopiesRequestsAndIsAudited() throws Exception {
    berth.call("POST", "/api/v1/apps", app("canary", 1, "[]"));
    awaitRunning("canary", 1, 1);
    HttpResponse<String> put =
        berth.call("PUT", "/api/v1/apps/web/mirror", "{\"target\":\"canary\",\"percent\":100}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(BerthServer.json(put.body()).path("active").asBoolean()).isTrue();
    HttpResponse<String> self =
        berth.call("PUT", "/api/v1/apps/web/mirror", "{\"target\":\"web\",\"percent\":0}");
    assertThat(self.statusCode()).isEqualTo(400);
    assertThat(self.body()).contains("target").contains("percent");

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              assertThat(through("web.test", "/")[1]).contains("hello through the gateway");
              assertThat(berth.call("GET", "/actuator/prometheus", null).body())
                  .contains("berth_gateway_mirrored_requests_total{app=\"web\"}");
            });
    assertThat(berth.get("/api/v1/audit?action=app.mirror").toString()).contains("app.mirror");
    assertThat(Files.readString(gatewayDir.resolve("nginx.conf")))
        .contains("mirror /_berth/mirror/web;");
    assertThat(berth.call("DELETE", "/api/v1/apps/web/mirror", null).statusCode()).isEqualTo(204);
    assertThat(berth.call("GET", "/api/v1/apps/web/mirror", null).statusCode()).isEqualTo(404);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(Files.readString(gatewayDir.resolve("nginx.conf")))
                    .doesNotContain("/_berth/mirror/"));
  }

  @Test
  @Order(4)
  void aRestartedBerthLeavesTheConfigByteIdenticalAndNginxUnreloaded() throws Exception {
    // the mirror test before this one reloads nginx once more; wait until that reload is over
    // so the restart below is compared with settled nginx
    awaitReloadOver();
    JsonNode before = berth.get("/api/v1/gateway");
    List<Long> workersBefore = workers(before.path("masterPid").asLong());
    byte[] config = Files.readAllBytes(gatewayDir.resolve("nginx.conf"));

    berth.stop();
    berth.start();

    JsonNode after = berth.get("/api/v1/gateway");
    assertThat(Files.readAllBytes(gatewayDir.resolve("nginx.conf"))).isEqualTo(config);
    assertThat(after.path("masterPid").asLong()).isEqualTo(before.path("masterPid").asLong());
    assertThat(workers(after.path("masterPid").asLong()))
        .as("nginx's worker, not replaced by a reload")
        .isEqualTo(workersBefore);
    assertThat(after.path("reloads").asLong()).isZero();
    assertThat(after.path("configHash").asText()).isEqualTo(before.path("configHash").asText());
    assertThat(through("web.test", "/")[1]).contains("hello through the gateway");
  }

  @Test
  @Order(5)
  void anOfflineInstanceGetsNoRequestsThroughNginxOrBerthRestartsUntilItIsOnlineAgain()
      throws Exception {
    assertThat(berth.call("POST", "/api/v1/apps/web/instances/web-1/offline", null).statusCode())
        .isEqualTo(200);
    // the gateway follows within its sync period; from then on web-1 serves nothing
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(servedBy(20)).containsOnlyKeys("web-0"));

    long master = berth.get("/api/v1/gateway").path("masterPid").asLong();
    ProcessHandle.of(master)
        .ifPresent(
            m -> {
              List<ProcessHandle> workers = m.children().toList();
              m.destroyForcibly();
              workers.forEach(ProcessHandle::destroyForcibly);
              m.onExit().join();
              workers.forEach(w -> w.onExit().join());
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode g = berth.get("/api/v1/gateway");
              assertThat(g.path("running").asBoolean()).isTrue();
              assertThat(g.path("masterPid").asLong()).isNotEqualTo(master);
              assertThat(through("web.test", "/")[0]).isEqualTo("200");
            });
    assertThat(servedBy(20)).as("after nginx restarted").containsOnlyKeys("web-0");

    berth.stop();
    berth.start();
    assertThat(servedBy(20)).as("after Berth restarted").containsOnlyKeys("web-0");
    assertThat(berth.get("/api/v1/apps/web/endpoints?all=true").toString()).contains("offline");

    assertThat(berth.call("POST", "/api/v1/apps/web/instances/web-1/online", null).statusCode())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(servedBy(20)).containsKey("web-1"));
  }

  /** One request for roll.test through the gateway: counted when 200, else recorded with why. */
  static void request(AtomicInteger ok, List<String> failed) {
    try {
      String[] a = through("roll.test", "/");
      if (a[0].equals("200")) {
        ok.incrementAndGet();
      } else {
        String ps =
            new String(
                new ProcessBuilder("ps", "-eo", "pid,ppid,lstart,args")
                    .redirectErrorStream(true)
                    .start()
                    .getInputStream()
                    .readAllBytes());
        failed.add(
            java.time.Instant.now()
                + " "
                + a[0]
                + " "
                + a[2]
                + "\n"
                + a[1]
                + "\n"
                + ps.lines()
                    .filter(l -> l.contains("nginx"))
                    .collect(java.util.stream.Collectors.joining("\n")));
      }
    } catch (IOException e) {
      failed.add(e.toString());
    }
  }

  /**
   * Waits until nginx's workers from before the last reload are gone (one worker left). Until then
   * an old worker may still accept a connection and answer it with the old config: a host the
   * reload added is nginx's 404 there for a moment.
   */
  static void awaitReloadOver() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode g = berth.get("/api/v1/gateway");
              assertThat(g.path("running").asBoolean()).isTrue();
              assertThat(workers(g.path("masterPid").asLong())).hasSize(1);
            });
  }

  /** The PIDs of nginx's workers: the master's children. */
  static List<Long> workers(long master) {
    return ProcessHandle.of(master).stream()
        .flatMap(ProcessHandle::children)
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .sorted()
        .toList();
  }

  /**
   * Sends {@code n} requests for web.test through the gateway and counts, from the gateway's own
   * per-instance request counters, which instances answered them.
   */
  static Map<String, Long> servedBy(int n) throws IOException {
    Map<String, Long> before = webCounts();
    for (int i = 0; i < n; i++) {
      assertThat(through("web.test", "/")[0]).isEqualTo("200");
    }
    Map<String, Long> after = webCounts();
    Map<String, Long> served = new TreeMap<>();
    after.forEach(
        (instance, count) -> {
          long delta = count - before.getOrDefault(instance, 0L);
          if (delta > 0) {
            served.put(instance, delta);
          }
        });
    assertThat(served.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
    return served;
  }

  /** web's answered requests per instance, as the gateway counts them (nginx restarts reset). */
  static Map<String, Long> webCounts() {
    Map<String, Long> counts = new TreeMap<>();
    Matcher m =
        Pattern.compile(
                "(?m)^berth_gateway_requests_total\\{app=\"web\",code=\"200\",instance=\"(web-\\d+)\"\\} ([0-9.eE+]+)$")
            .matcher(berth.call("GET", "/actuator/prometheus", null).body());
    while (m.find()) {
      counts.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
    }
    return counts;
  }
}
