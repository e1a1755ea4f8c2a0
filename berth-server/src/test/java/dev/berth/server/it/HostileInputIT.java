package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input, as an attacker or a broken script would send it: oversized and deeply nested
 * bodies, duplicate keys, names with path separators, '..', NUL and look-alike letters, paths that
 * try to escape, CR/LF meant for headers, SQL in every filter, slow cron strings, huge numbers and
 * wrong types. Each is answered with a 4xx problem+json, nothing is stored, and the server stays
 * healthy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {
  /**
   * 1.5 MB of short strings: over the body limit, but no single value over Jackson's own limits.
   */
  static final String MB_AND_A_HALF = "\"xxxxxxxx\",".repeat(150_000) + "\"x\"";

  static LocalBerth fixture;
  static BerthServer berth;
  static int threadsBefore;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(51, "hostile input", Map.of());
    berth = fixture.berth;
    berth.get("/api/v1/apps");
    threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String image() {
    return fixture.image;
  }

  static String app(String name) {
    return "{\"name\":\"" + name + "\",\"image\":\"" + image() + "\"}";
  }

  static String task(String name, String extra) {
    return "{\"name\":\""
        + name
        + "\",\"image\":\""
        + image()
        + "\",\"command\":[\"true\"]"
        + extra
        + "}";
  }

  static String cron(String expression) {
    return task(
        "cron-x",
        ",\"mode\":\"async\",\"trigger\":{\"type\":\"cron\",\"cron\":\"" + expression + "\"}");
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A 4xx problem+json; returns the problem. */
  static JsonNode assertProblem(String why, HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(why + ": " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .as(why + ": " + r.body())
        .startsWith("application/problem+json");
    JsonNode p = BerthServer.json(r.body());
    assertThat(p.path("detail").asText()).as(why).isNotBlank();
    assertThat(p.path("status").asInt()).as(why).isEqualTo(status);
    return p;
  }

  static void assertNothingStored(String why) {
    assertThat(berth.get("/api/v1/apps").path("total").asLong()).as(why + ": apps").isZero();
    assertThat(berth.get("/api/v1/tasks").path("total").asLong()).as(why + ": tasks").isZero();
    assertThat(berth.get("/api/v1/clusters").path("items")).as(why + ": clusters").hasSize(1);
  }

  static List<String> fields(JsonNode problem) {
    List<String> out = new ArrayList<>();
    problem.path("errors").forEach(e -> out.add(e.path("field").asText()));
    return out;
  }

  static Stream<Arguments> hostileBodies() {
    String deep = "[".repeat(5_000) + "]".repeat(5_000);
    return Stream.of(
        Arguments.of("app name with a slash", "/api/v1/apps", app("a/b"), "name"),
        Arguments.of("app name '..'", "/api/v1/apps", app(".."), "name"),
        Arguments.of("app name with NUL", "/api/v1/apps", app("a\\u0000b"), "name"),
        Arguments.of("app name with a Cyrillic a", "/api/v1/apps", app("\u0430pp"), "name"),
        Arguments.of(
            "app name in full-width letters", "/api/v1/apps", app("\uff57\uff45\uff42"), "name"),
        Arguments.of("app name with a zero-width space", "/api/v1/apps", app("web\u200b"), "name"),
        Arguments.of(
            "app name with CR LF for a header",
            "/api/v1/apps",
            app("web\\r\\nSet-Cookie: evil=1"),
            "name"),
        Arguments.of("app name of 1000 characters", "/api/v1/apps", app("a".repeat(1000)), "name"),
        Arguments.of("task name with a slash", "/api/v1/tasks", task("../etc", ""), "name"),
        Arguments.of("task name with NUL", "/api/v1/tasks", task("t\\u0000", ""), "name"),
        Arguments.of(
            "task name with a Greek omicron", "/api/v1/tasks", task("rep\u03bfrt", ""), "name"),
        Arguments.of(
            "cluster name with a slash",
            "/api/v1/clusters",
            "{\"name\":\"../k\",\"kubeconfig\":\"x\"}",
            "name"),
        Arguments.of(
            "unknown field",
            "/api/v1/apps",
            "{\"name\":\"u1\",\"image\":\"" + "IMAGE" + "\",\"privileged\":true}",
            "privileged"),
        Arguments.of(
            "unknown field in a task",
            "/api/v1/tasks",
            task("u2", ",\"hostPath\":\"/\""),
            "hostPath"),
        Arguments.of(
            "a list for a name", "/api/v1/apps", "{\"name\":[\"a\"],\"image\":\"IMAGE\"}", "name"),
        Arguments.of(
            "a string for a list",
            "/api/v1/apps",
            "{\"name\":\"w1\",\"image\":\"IMAGE\",\"command\":\"sh\"}",
            "command"),
        Arguments.of(
            "a list for a map",
            "/api/v1/apps",
            "{\"name\":\"w2\",\"image\":\"IMAGE\",\"env\":[\"A=1\"]}",
            "env"),
        Arguments.of(
            "a number past int",
            "/api/v1/apps",
            "{\"name\":\"n1\",\"image\":\"IMAGE\",\"instances\":99999999999999999999}",
            "instances"),
        Arguments.of(
            "2^31 instances",
            "/api/v1/apps",
            "{\"name\":\"n2\",\"image\":\"IMAGE\",\"instances\":2147483648}",
            "instances"),
        Arguments.of(
            "a million instances",
            "/api/v1/apps",
            "{\"name\":\"n3\",\"image\":\"IMAGE\",\"instances\":1000000}",
            "instances"),
        Arguments.of(
            "infinite CPU",
            "/api/v1/apps",
            "{\"name\":\"n4\",\"image\":\"IMAGE\",\"resources\":{\"cpu\":1e400}}",
            "resources.cpu"),
        Arguments.of(
            "memory past int",
            "/api/v1/apps",
            "{\"name\":\"n5\",\"image\":\"IMAGE\",\"resources\":{\"memoryMiB\":99999999999}}",
            "resources.memoryMiB"),
        Arguments.of(
            "a huge timeout",
            "/api/v1/tasks",
            task("n6", ",\"timeoutSeconds\":9999999999"),
            "timeoutSeconds"),
        Arguments.of(
            "a cron of 1000 characters",
            "/api/v1/tasks",
            cron("0 " + "1,".repeat(499) + "2 * * *"),
            "trigger.cron"),
        Arguments.of(
            "a cron with a huge step",
            "/api/v1/tasks",
            cron("*/999999999999 * * * *"),
            "trigger.cron"),
        Arguments.of(
            "a cron with a huge range",
            "/api/v1/tasks",
            cron("0-999999999 * * * *"),
            "trigger.cron"),
        Arguments.of(
            "a cron that never fires", "/api/v1/tasks", cron("0 0 30 2 *"), "trigger.cron"),
        Arguments.of(
            "a cron of 200 fields", "/api/v1/tasks", cron("* ".repeat(90)), "trigger.cron"),
        Arguments.of(
            "deeply nested JSON",
            "/api/v1/apps",
            "{\"name\":\"deep\",\"image\":\"IMAGE\",\"command\":" + deep + "}",
            null),
        Arguments.of(
            "duplicate keys",
            "/api/v1/apps",
            "{\"name\":\"dup-a\",\"image\":\"IMAGE\",\"name\":\"dup-b\"}",
            null),
        Arguments.of(
            "a 200-digit number",
            "/api/v1/apps",
            "{\"name\":\"n7\",\"image\":\"IMAGE\",\"instances\":" + "9".repeat(200) + "}",
            null),
        Arguments.of("null for the body", "/api/v1/apps", "null", null),
        Arguments.of("a list for the body", "/api/v1/tasks", "[]", null),
        Arguments.of("a string for the body", "/api/v1/clusters", "\"k\"", null),
        Arguments.of("trailing garbage", "/api/v1/apps", app("tg") + "}}{", null),
        Arguments.of(
            "a NUL byte between tokens",
            "/api/v1/apps",
            "{\"name\":\"nb\",\u0000\"image\":\"IMAGE\"}",
            null));
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileBodies")
  void refusesAHostileBodyAndStoresNothing(String why, String path, String body, String field) {
    HttpResponse<String> r = berth.call("POST", path, body.replace("IMAGE", image()));
    JsonNode p = assertProblem(why, r, 400);
    if (field != null) {
      assertThat(fields(p)).as(why + ": " + r.body()).contains(field);
    }
    assertThat(r.headers().map().keySet()).as(why).doesNotContain("set-cookie");
    assertNothingStored(why);
  }

  @Order(1)
  @Test
  void refusesABodyOverTheLimitWith413() {
    String body =
        "{\"name\":\"big\",\"image\":\"" + image() + "\",\"command\":[" + MB_AND_A_HALF + "]}";
    assertProblem("Content-Length over the limit", berth.call("POST", "/api/v1/apps", body), 413);
    HttpRequest chunked =
        HttpRequest.newBuilder(berth.uri("/api/v1/apps"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + BerthServer.TOKEN)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
            .build();
    assertProblem("a chunked body over the limit", send(chunked), 413);
    assertProblem(
        "over the limit without a token", berth.call("POST", "/api/v1/tasks", body, null), 413);
    assertNothingStored("oversized bodies");
  }

  @Order(1)
  @Test
  void refusesABodyThatIsNotJson() {
    HttpRequest xml =
        HttpRequest.newBuilder(berth.uri("/api/v1/apps"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + BerthServer.TOKEN)
            .header("Content-Type", "application/xml")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><app><name>&e;</name></app>"))
            .build();
    HttpResponse<String> r = send(xml);
    assertProblem("an XML body", r, 415);
    assertThat(r.body()).doesNotContain("root:");
    assertNothingStored("an XML body");
  }

  static Stream<Arguments> hostilePaths() {
    return Stream.of(
        Arguments.of("GET", "/api/v1/apps/..%2F..%2Fetc%2Fpasswd", 400),
        Arguments.of("GET", "/api/v1/apps/%2e%2e", 400),
        Arguments.of("GET", "/api/v1/apps/a%00b", 400),
        Arguments.of("GET", "/api/v1/apps/a;jsessionid=1", 400),
        Arguments.of("GET", "/api/v1/apps/..%252F..%252Fetc", 400),
        Arguments.of("GET", "/api/v1/apps/%D0%B0pp", 404),
        Arguments.of("DELETE", "/api/v1/apps/..%2F..", 400),
        Arguments.of("DELETE", "/api/v1/tasks/..%2Fx", 400),
        Arguments.of("GET", "/api/v1/tasks/%EF%BD%97", 404),
        Arguments.of("GET", "/api/v1/runs/../../../etc/passwd/logs", 400),
        Arguments.of("GET", "/api/v1/runs/..%2F..%2Fetc%2Fpasswd/logs", 400),
        Arguments.of("GET", "/api/v1/runs/x-1%00/logs", 400),
        Arguments.of("GET", "/api/v1/runs/nothing-1/logs?tail=99999999", 400),
        Arguments.of("GET", "/api/v1/runs/nothing-1/logs?tail=abc", 400),
        Arguments.of("POST", "/api/v1/runs/..%2Fx/exec", 400),
        Arguments.of("GET", "/api/v1/apps/web/instances/..%2F..%2F..%2Fetc%2Fpasswd/logs", 400),
        Arguments.of("GET", "/api/v1/apps/web/instances/web-0/../../../../etc/passwd", 400),
        Arguments.of("DELETE", "/api/v1/apps/web/instances/%2e%2e%2f", 400),
        Arguments.of("DELETE", "/api/v1/clusters/..%2Flocal", 400));
  }

  @Order(1)
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("hostilePaths")
  void refusesPathsThatTryToEscape(String method, String path, int status) {
    HttpResponse<String> r =
        berth.call(
            method, path, method.equals("POST") ? "{\"command\":[\"cat\",\"/etc/shadow\"]}" : null);
    assertProblem(method + " " + path, r, status);
    assertThat(r.body()).doesNotContain("root:");
    assertNothingStored(path);
  }

  static Stream<Arguments> hostileFilters() {
    return Stream.of(
        Arguments.of("/api/v1/events?type=" + enc("normal' OR '1'='1"), "type"),
        Arguments.of("/api/v1/events?since=" + enc("2020-01-01'; DROP TABLE events; --"), "since"),
        Arguments.of("/api/v1/events?before=" + enc("1 OR 1=1"), "before"),
        Arguments.of("/api/v1/events?limit=" + enc("10; DELETE FROM apps"), "limit"),
        Arguments.of("/api/v1/events?limit=1000000", "limit"),
        Arguments.of("/api/v1/events?object=" + "o".repeat(300), "object"),
        Arguments.of("/api/v1/runs?state=" + enc("running' OR 'x'='x"), "state"),
        Arguments.of("/api/v1/runs?since=" + enc("' OR 1=1 --"), "since"),
        Arguments.of("/api/v1/runs?until=" + enc("now()"), "until"),
        Arguments.of("/api/v1/runs?page=" + enc("0 OR 1=1"), "page"),
        Arguments.of("/api/v1/runs?size=100000", "size"),
        Arguments.of("/api/v1/apps?page=99999999999", "page"),
        Arguments.of("/api/v1/apps?size=-1", "size"),
        Arguments.of("/api/v1/apps?page=-1", "page"),
        Arguments.of("/api/v1/tasks?size=" + enc("20) UNION SELECT"), "size"));
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileFilters")
  void refusesSqlInTypedFilters(String path, String field) {
    JsonNode p = assertProblem(path, berth.call("GET", path, null), 400);
    assertThat(fields(p)).as(p.toString()).contains(field);
  }

  @Order(1)
  @Test
  void answersCrLfInTheUrlWithoutAnInjectedHeader() {
    for (String path :
        List.of(
            "/api/v1/apps?q=x%0d%0aSet-Cookie:%20evil=1",
            "/api/v1/apps/x%0d%0aSet-Cookie:%20evil=1",
            "/apps/x%0d%0aLocation:%20http://evil.example",
            "/api/v1/events?object=x%0d%0aX-Evil:%201")) {
      HttpResponse<String> r = berth.call("GET", path, null);
      assertThat(r.statusCode()).as(path).isBetween(200, 499);
      assertThat(r.headers().map().keySet()).as(path).doesNotContain("set-cookie", "x-evil");
      assertThat(r.headers().firstValue("Location").orElse("")).as(path).doesNotContain("evil");
    }
  }

  @Order(2)
  @Test
  void staysHealthyAndStillCreatesAfterTheHostileInput() {
    HttpResponse<String> health = berth.call("GET", "/actuator/health", null, null);
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(BerthServer.json(health.body()).path("status").asText()).isEqualTo("UP");
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/apps",
            "{\"name\":\"ok\",\"image\":\"" + image() + "\",\"command\":[\"sleep\",\"3600\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).contains("/api/v1/apps/ok");
    HttpResponse<String> task =
        berth.call("POST", "/api/v1/tasks", task("ok-task", ",\"mode\":\"sync\""));
    assertThat(task.statusCode()).as(task.body()).isEqualTo(201);
    assertThat(BerthServer.json(task.body()).path("run").path("state").asText())
        .isEqualTo("succeeded");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> berth.get("/api/v1/apps/ok").path("status").path("ready").asInt() == 1);
    int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
    assertThat(threadsAfter)
        .as("platform threads before %d, after %d", threadsBefore, threadsAfter)
        .isLessThan(threadsBefore + 50);
    Runtime rt = Runtime.getRuntime();
    System.gc();
    assertThat(rt.totalMemory() - rt.freeMemory())
        .as("heap in use after the suite")
        .isLessThan(rt.maxMemory() / 2);
  }

  @Order(3)
  @Test
  void treatsSqlInTextFiltersAsPlainText() {
    assertThat(berth.get("/api/v1/apps?q=ok").path("total").asLong())
        .as("positive control")
        .isEqualTo(1);
    for (String q :
        List.of(
            "' OR '1'='1",
            "ok' --",
            "%",
            "_k",
            "o%k",
            "ok\\",
            "'; DROP TABLE apps; --",
            "ok\u0000")) {
      JsonNode page = berth.get("/api/v1/apps?q=" + enc(q));
      assertThat(page.path("total").asLong()).as("apps q=" + q).isZero();
      assertThat(berth.get("/api/v1/tasks?q=" + enc(q)).path("total").asLong())
          .as("tasks q=" + q)
          .isZero();
      assertProblem("runs task=" + q, berth.call("GET", "/api/v1/runs?task=" + enc(q), null), 404);
      assertThat(berth.get("/api/v1/events?object=" + enc(q)).path("items").size())
          .as("events object=" + q)
          .isZero();
    }
    assertThat(berth.get("/api/v1/apps").path("total").asLong()).isEqualTo(1);
    assertThat(berth.get("/api/v1/tasks").path("total").asLong()).isEqualTo(1);
  }

  @Order(3)
  @Test
  void refusesInstanceIdsThatAreNotTheAppsOwn() {
    for (String id :
        List.of(
            "ok-0%2F..%2F..",
            "..", "ok-0%00", "ok-99999999999999999999", "other-0", "ok-0;x", "ok--1")) {
      HttpResponse<String> r =
          berth.call("GET", "/api/v1/apps/ok/instances/" + id + "/logs?tail=10", null);
      assertThat(r.statusCode()).as(id + ": " + r.body()).isBetween(400, 404);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .as(id)
          .startsWith("application/problem+json");
    }
    HttpResponse<String> own =
        berth.call("GET", "/api/v1/apps/ok/instances/ok-0/logs?tail=10", null);
    assertThat(own.statusCode()).as("positive control: " + own.body()).isEqualTo(200);
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return berth.http().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(request + " failed: " + e, e);
    }
  }
}
