package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.berth.oci.testing.TestRegistry;
import dev.berth.server.task.HttpCallbackSender;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Short-lived tasks through the API, with real runc containers and a real registry: run now, at a
 * time or on cron, sync or async, kept failed runs, reclaim, logs.
 */
class TaskIT {
  static final Duration END = Duration.ofSeconds(60);
  static TestRegistry registry;
  static BerthServer berth;
  static String image;

  static LocalBerth fixture;

  @BeforeAll
  static void start(org.junit.jupiter.api.TestInfo run) throws Exception {
    if (run.getTestClass().orElseThrow() != TaskIT.class) {
      // JUnit runs this for a subclass too (another signature than the subclass's own start):
      // the subclass starts its own fixture, and one started here would be left running
      return;
    }
    fixture = LocalBerth.start(4, "tasks", Map.of("berth.tasks.callback-backoff", "200ms"));
    registry = fixture.registry;
    image = fixture.image;
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String task(String name, String command, String extra) {
    return "{\"name\":\""
        + name
        + "\",\"image\":\""
        + image
        + "\",\"command\":[\"sh\",\"-c\",\""
        + command
        + "\"]"
        + extra
        + "}";
  }

  static JsonNode awaitRun(String runId, String state) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(END)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              last[0] = berth.get("/api/v1/runs/" + runId);
              assertThat(last[0].path("state").asText()).as(last[0].toString()).isEqualTo(state);
            });
    return last[0];
  }

  static List<String> runcContainers() throws Exception {
    return Cleanup.run("runc", "--root", Cleanup.runcRoot(berth.dataDir()).toString(), "list", "-q")
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  static List<String> events(String object) {
    List<String> reasons = new ArrayList<>();
    berth
        .get("/api/v1/events?limit=1000&object=" + object)
        .path("items")
        .forEach(e -> reasons.add(e.path("reason").asText()));
    return reasons;
  }

  @Test
  void syncTaskAnswersWithStateExitCodeAndLogTail() throws Exception {
    HttpResponse<String> r =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task("hello", "echo hello; exit 3", ",\"mode\":\"sync\",\"timeoutSeconds\":30"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode run = BerthServer.json(r.body()).path("run");
    assertThat(run.path("state").asText()).isEqualTo("failed");
    assertThat(run.path("exitCode").asInt()).isEqualTo(3);
    assertThat(run.path("logTail").asText()).contains("hello");
    String id = run.path("id").asText();
    await().atMost(END).until(() -> berth.get("/api/v1/runs/" + id).path("reclaimed").asBoolean());
    assertThat(runcContainers()).noneMatch(c -> c.contains("hello"));
    assertThat(Files.readString(java.nio.file.Path.of("/proc/mounts"))).doesNotContain(id);
    assertThat(berth.call("GET", "/api/v1/runs/" + id + "/logs", null).body()).contains("hello");
  }

  @Test
  void asyncTaskAnswers202AndItsSignedCallbackArrives() throws Exception {
    List<String[]> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(new String[] {ex.getRequestHeaders().getFirst("X-Berth-Signature"), body});
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      HttpResponse<String> r =
          berth.call(
              "POST",
              "/api/v1/tasks",
              task("notify", "echo done", ",\"mode\":\"async\",\"callbackUrl\":\"" + url + "\""));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      JsonNode created = BerthServer.json(r.body());
      String secret = created.path("callbackSecret").asText();
      assertThat(secret).hasSizeGreaterThan(16);
      String id = created.path("run").path("id").asText();
      assertThat(created.path("run").path("state").asText()).isIn("queued", "starting", "running");
      await().atMost(END).until(() -> !received.isEmpty());
      String[] call = received.getFirst();
      assertThat(call[0]).isEqualTo("sha256=" + HttpCallbackSender.sign(secret, call[1]));
      assertThat(BerthServer.json(call[1]).path("id").asText()).isEqualTo(id);
      assertThat(BerthServer.json(call[1]).path("state").asText()).isEqualTo("succeeded");
      await()
          .atMost(END)
          .until(
              () ->
                  berth
                      .get("/api/v1/runs/" + id)
                      .path("callback")
                      .path("status")
                      .asText()
                      .startsWith("delivered: 204"));
      assertThat(berth.get("/api/v1/tasks/notify").has("callbackSecret")).isFalse();
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aCallbackReceiverThatIsDownNeverBlocksOtherRuns() {
    String url = "http://127.0.0.1:1/nobody-listens";
    HttpResponse<String> r =
        berth.call(
            "POST", "/api/v1/tasks", task("unheard", "true", ",\"callbackUrl\":\"" + url + "\""));
    String id = BerthServer.json(r.body()).path("run").path("id").asText();
    HttpResponse<String> other =
        berth.call("POST", "/api/v1/tasks", task("heard", "echo fine", ",\"mode\":\"sync\""));
    assertThat(BerthServer.json(other.body()).path("run").path("state").asText())
        .isEqualTo("succeeded");
    await()
        .atMost(END)
        .untilAsserted(
            () -> {
              JsonNode run = berth.get("/api/v1/runs/" + id);
              assertThat(run.path("callback").path("status").asText()).startsWith("failed");
              assertThat(run.path("callback").path("attempts").asInt()).isGreaterThanOrEqualTo(2);
            });
  }

  @Test
  void aRunPastItsTimeoutEndsTimedOut() {
    HttpResponse<String> r =
        berth.call("POST", "/api/v1/tasks", task("sleepy", "sleep 60", ",\"timeoutSeconds\":2"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    String id = BerthServer.json(r.body()).path("run").path("id").asText();
    JsonNode run = awaitRun(id, "timed_out");
    assertThat(
            Duration.between(
                Instant.parse(run.path("startedAt").asText()),
                Instant.parse(run.path("endedAt").asText())))
        .isLessThan(Duration.ofSeconds(20));
    assertThat(events(id)).contains("TimedOut");
  }

  @Test
  void aFailedRunKeptForDebuggingStaysUntilDeleted() throws Exception {
    HttpResponse<String> r =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task(
                "keeper",
                "echo evidence > /evidence; exit 1",
                ",\"keepOnFailure\":true,\"mode\":\"sync\""));
    JsonNode run = BerthServer.json(r.body()).path("run");
    String id = run.path("id").asText();
    assertThat(run.path("state").asText()).isEqualTo("failed");
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> !berth.get("/api/v1/runs/" + id).path("reclaimed").asBoolean());
    HttpResponse<String> exec =
        berth.call("POST", "/api/v1/runs/" + id + "/exec", "{\"command\":[\"cat\",\"/evidence\"]}");
    assertThat(exec.statusCode()).as(exec.body()).isEqualTo(200);
    assertThat(BerthServer.json(exec.body()).path("output").asText()).contains("evidence");
    assertThat(BerthServer.json(exec.body()).path("truncated").asBoolean()).isFalse();
    HttpResponse<String> big =
        berth.call(
            "POST",
            "/api/v1/runs/" + id + "/exec",
            "{\"command\":[\"sh\",\"-c\",\"head -c 70000 /dev/zero | tr '\\\\0' x\"],"
                + "\"timeoutSeconds\":60}");
    assertThat(big.statusCode()).as(big.body()).isEqualTo(200);
    assertThat(BerthServer.json(big.body()).path("truncated").asBoolean()).isTrue();
    assertThat(BerthServer.json(big.body()).path("output").asText()).hasSize(64 * 1024);
    HttpResponse<String> slow =
        berth.call(
            "POST",
            "/api/v1/runs/" + id + "/exec",
            "{\"command\":[\"sleep\",\"60\"],\"timeoutSeconds\":1}");
    assertThat(BerthServer.json(slow.body()).path("timedOut").asBoolean()).isTrue();
    HttpResponse<String> tooLong =
        berth.call(
            "POST",
            "/api/v1/runs/" + id + "/exec",
            "{\"command\":[\"true\"],\"timeoutSeconds\":301}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(BerthServer.json(tooLong.body()).path("errors").findValuesAsText("field"))
        .containsExactly("timeoutSeconds");
    assertThat(berth.call("DELETE", "/api/v1/runs/" + id, null).statusCode()).isEqualTo(204);
    assertThat(berth.call("GET", "/api/v1/runs/" + id, null).statusCode()).isEqualTo(404);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(Files.readString(java.nio.file.Path.of("/proc/mounts")))
                  .doesNotContain(id);
              assertThat(runcContainers()).doesNotContain(id);
            });
  }

  @Test
  void deletingATaskDeletesItsKeptFailedRunsAndTheirContainers() throws Exception {
    HttpResponse<String> r =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task("leaver", "exit 3", ",\"keepOnFailure\":true,\"mode\":\"sync\""));
    String id = BerthServer.json(r.body()).path("run").path("id").asText();
    assertThat(awaitRun(id, "failed").path("reclaimed").asBoolean()).isFalse();
    assertThat(Files.readString(java.nio.file.Path.of("/proc/mounts")))
        .as("its filesystem is kept")
        .contains(id);

    HttpResponse<String> deleted = berth.call("DELETE", "/api/v1/tasks/leaver", null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    JsonNode answer = BerthServer.json(deleted.body());
    assertThat(answer.path("deletedRuns").toString()).isEqualTo("[\"" + id + "\"]");
    assertThat(answer.path("message").asText()).contains(id);
    assertThat(berth.call("GET", "/api/v1/runs/" + id, null).statusCode()).isEqualTo(404);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(runcContainers()).doesNotContain(id);
              assertThat(Files.readString(java.nio.file.Path.of("/proc/mounts")))
                  .doesNotContain(id);
            });
  }

  @Test
  void theTaskListShowsWhenACronOrAtTaskFiresNextAndInWhichTimeZone() {
    String at =
        Instant.now()
            .plus(Duration.ofDays(30))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .toString();
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/tasks",
                    task(
                        "nightly",
                        "true",
                        ",\"trigger\":{\"type\":\"cron\",\"cron\":\"30 2 * * *\",\"timezone\":\"Europe/Berlin\"}"))
                .statusCode())
        .isEqualTo(201);
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/tasks",
                    task("once", "true", ",\"trigger\":{\"type\":\"at\",\"at\":\"" + at + "\"}"))
                .statusCode())
        .isEqualTo(201);
    try {
      JsonNode nightly = null;
      JsonNode once = null;
      for (JsonNode t : berth.get("/api/v1/tasks?size=100").path("items")) {
        nightly = t.path("name").asText().equals("nightly") ? t : nightly;
        once = t.path("name").asText().equals("once") ? t : once;
      }
      assertThat(nightly).isNotNull();
      assertThat(nightly.path("timezone").asText()).isEqualTo("Europe/Berlin");
      java.time.ZonedDateTime next =
          Instant.parse(nightly.path("nextFireAt").asText())
              .atZone(java.time.ZoneId.of("Europe/Berlin"));
      assertThat(next.getHour() * 60 + next.getMinute()).as("02:30 in Berlin").isEqualTo(150);
      assertThat(next.toInstant())
          .isAfter(Instant.now())
          .isBefore(Instant.now().plus(Duration.ofDays(1)));
      assertThat(once.path("nextFireAt").asText()).isEqualTo(at);
      assertThat(once.path("timezone").asText()).isEqualTo("UTC");
    } finally {
      berth.call("DELETE", "/api/v1/tasks/nightly", null);
      berth.call("DELETE", "/api/v1/tasks/once", null);
    }
  }

  @Test
  void retriesAFailingRunAndRecordsEveryAttempt() {
    HttpResponse<String> r =
        berth.call("POST", "/api/v1/tasks", task("flaky", "exit 7", ",\"retries\":2"));
    String id = BerthServer.json(r.body()).path("run").path("id").asText();
    JsonNode run = awaitRun(id, "failed");
    assertThat(run.path("attempts").asInt()).isEqualTo(3);
    // Two failed attempts were retried, the third ended the run.
    assertThat(events(id).stream().filter("AttemptFailed"::equals).count()).isEqualTo(2);
  }

  @Test
  void cancelsARunningRun() {
    HttpResponse<String> r = berth.call("POST", "/api/v1/tasks", task("endless", "sleep 600", ""));
    String id = BerthServer.json(r.body()).path("run").path("id").asText();
    awaitRun(id, "running");
    assertThat(berth.call("POST", "/api/v1/runs/" + id + "/cancel", null).statusCode())
        .isEqualTo(202);
    awaitRun(id, "cancelled");
  }

  @Test
  void anAtTriggerFiresOnTime() {
    Instant at = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<String> r =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task("later", "echo on time", ",\"trigger\":{\"type\":\"at\",\"at\":\"" + at + "\"}"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    await()
        .atMost(END)
        .until(() -> berth.get("/api/v1/tasks/later/runs").path("total").asLong() == 1);
    JsonNode run = berth.get("/api/v1/tasks/later/runs").path("items").get(0);
    assertThat(Instant.parse(run.path("scheduledAt").asText())).isEqualTo(at);
    assertThat(Instant.parse(run.path("createdAt").asText())).isBetween(at, at.plusSeconds(3));
    awaitRun(run.path("id").asText(), "succeeded");
  }

  @Test
  void aCronTaskFiresEverySecondAndForbidsOverlap() {
    HttpResponse<String> r =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task(
                "ticker",
                "sleep 4",
                ",\"trigger\":{\"type\":\"cron\",\"cron\":\"* * * * * *\"},\"concurrency\":\"forbid\""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    await().atMost(END).until(() -> events("ticker").contains("SkippedConcurrent"));
    JsonNode runs = berth.get("/api/v1/tasks/ticker/runs?size=50");
    long active = 0;
    for (JsonNode run : runs.path("items")) {
      if (List.of("queued", "starting", "running").contains(run.path("state").asText())) {
        active++;
      }
    }
    assertThat(active).isLessThanOrEqualTo(1);
    assertThat(berth.call("DELETE", "/api/v1/tasks/ticker", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aCronTaskWithReplaceCancelsTheRunningRunForTheNextFire() {
    HttpResponse<String> r =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task(
                "replacer",
                "sleep 30",
                ",\"trigger\":{\"type\":\"cron\",\"cron\":\"*/2 * * * * *\"},\"concurrency\":\"replace\""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    await()
        .atMost(END)
        .until(
            () -> {
              for (JsonNode run : berth.get("/api/v1/tasks/replacer/runs?size=50").path("items")) {
                if (run.path("state").asText().equals("cancelled")) {
                  return true;
                }
              }
              return false;
            });
    assertThat(berth.call("DELETE", "/api/v1/tasks/replacer", null).statusCode()).isEqualTo(200);
  }

  @Test
  void listsRunsNewestFirstWithStateTimesAndExitCode() {
    berth.call("POST", "/api/v1/tasks", task("lister", "true", ",\"mode\":\"sync\""));
    berth.call("POST", "/api/v1/tasks/lister/runs", null);
    await()
        .atMost(END)
        .until(() -> berth.get("/api/v1/runs?task=lister").path("total").asLong() == 2);
    JsonNode items = berth.get("/api/v1/runs?task=lister").path("items");
    assertThat(items.get(0).path("number").asLong()).isEqualTo(2);
    for (String field : List.of("id", "createdAt", "updatedAt", "hostIp", "reclaimed", "state")) {
      assertThat(items.get(1).has(field)).as(field).isTrue();
    }
    assertThat(berth.get("/api/v1/runs?task=lister&state=succeeded").path("total").asLong())
        .isGreaterThanOrEqualTo(1);
    assertThat(berth.call("GET", "/api/v1/runs?state=exploded", null).statusCode()).isEqualTo(400);
  }

  static Stream<Arguments> badTasks() {
    String past = Instant.now().minusSeconds(60).toString();
    return Stream.of(
        Arguments.of(
            "invalid cron",
            ",\"trigger\":{\"type\":\"cron\",\"cron\":\"61 * * * *\"}",
            "trigger.cron"),
        Arguments.of(
            "cron with 3 fields",
            ",\"trigger\":{\"type\":\"cron\",\"cron\":\"* * *\"}",
            "trigger.cron"),
        Arguments.of(
            "unknown zone",
            ",\"trigger\":{\"type\":\"cron\",\"cron\":\"0 2 * * *\",\"timezone\":\"Mars/Olympus\"}",
            "trigger.timezone"),
        Arguments.of(
            "at in the past",
            ",\"trigger\":{\"type\":\"at\",\"at\":\"" + past + "\"}",
            "trigger.at"),
        Arguments.of("timeout zero", ",\"timeoutSeconds\":0", "timeoutSeconds"),
        Arguments.of(
            "callback not http", ",\"callbackUrl\":\"ftp://example.com/x\"", "callbackUrl"),
        Arguments.of(
            "sync with cron",
            ",\"mode\":\"sync\",\"trigger\":{\"type\":\"cron\",\"cron\":\"0 2 * * *\"}",
            "mode"),
        Arguments.of("unknown trigger", ",\"trigger\":{\"type\":\"sometimes\"}", "trigger.type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTasks")
  void refusesABadTaskNamingTheField(String why, String extra, String field) {
    HttpResponse<String> r = berth.call("POST", "/api/v1/tasks", task("bad-task", "true", extra));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    List<String> fields = new ArrayList<>();
    BerthServer.json(r.body()).path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertThat(fields).as(r.body()).contains(field);
    assertThat(berth.call("GET", "/api/v1/tasks/bad-task", null).statusCode()).isEqualTo(404);
  }

  @Test
  void refusesATaskNamedLikeAnAppAndTheOtherWayRound() {
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/apps",
                    "{\"name\":\"shared\",\"image\":\""
                        + image
                        + "\",\"command\":[\"sleep\",\"60\"],\"instances\":0}")
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> r = berth.call("POST", "/api/v1/tasks", task("shared", "true", ""));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).contains("share one name space");
    berth.call("POST", "/api/v1/tasks", task("taken", "true", ",\"mode\":\"sync\""));
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/apps",
                    "{\"name\":\"taken\",\"image\":\"" + image + "\",\"instances\":0}")
                .statusCode())
        .isEqualTo(409);
    berth.call("DELETE", "/api/v1/apps/shared?confirm=shared", null);
  }

  @Test
  void refusesAnUnknownImage() {
    String body =
        "{\"name\":\"ghost\",\"image\":\""
            + registry.host()
            + "/demo/ghost:1\",\"command\":[\"true\"]}";
    HttpResponse<String> r = berth.call("POST", "/api/v1/tasks", body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"field\":\"image\"");
  }
}
