package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web terminal's socket against a real Berth and runc containers, as the CLI uses it (bearer
 * token): typed commands answer with a TTY that follows resizes; refusals come before the upgrade
 * with their reason; every session is audited with its id and how long it lasted; a terminal closes
 * when its instance stops; one terminal or exec past a user's bound is refused with 429.
 */
class TerminalIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static LocalBerth fixture;
  static BerthServer berth;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(210, "terminal", Map.of("berth.exec.max-per-user", "1"));
    berth = fixture.berth;
    String shell =
        """
        {"name":"shell","image":"%s","instances":1,
         "command":["sh","-c","while true; do sleep 1; done"]}
        """
            .formatted(fixture.image);
    String broken =
        """
        {"name":"broken","image":"%s","instances":1,"command":["sh","-c","exit 3"]}
        """
            .formatted(fixture.image);
    assertThat(berth.call("POST", "/api/v1/apps", shell).statusCode()).isEqualTo(201);
    assertThat(berth.call("POST", "/api/v1/apps", broken).statusCode()).isEqualTo(201);
    await().atMost(WAIT).until(() -> state("shell", "shell-0").equals("running"));
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static String state(String app, String instance) {
    for (JsonNode i : berth.get("/api/v1/apps/" + app + "/instances").path("items")) {
      if (i.path("id").asText().equals(instance)) {
        return i.path("state").asText();
      }
    }
    return "";
  }

  static TerminalClient open(String path) {
    TerminalClient.Outcome o = TerminalClient.connect(berth, path, BerthServer.TOKEN);
    assertThat(o.status()).as(o.body()).isEqualTo(101);
    return o.client();
  }

  @Test
  void typedCommandsAnswerInATerminalThatFollowsResizesAndTheSessionIsAudited() throws Exception {
    TerminalClient t = open("/api/v1/apps/shell/instances/shell-0/terminal?cols=100&rows=30");
    t.type("echo hi-$((6*7))\n");
    await().atMost(WAIT).until(() -> t.screen().contains("hi-42"));
    t.type("stty size\n");
    await().atMost(WAIT).until(() -> t.screen().contains("30 100"));
    t.resize(120, 40);
    t.type("stty size\n");
    await().atMost(WAIT).until(() -> t.screen().contains("40 120"));
    t.type("exit 5\n");
    t.closed.get(20, TimeUnit.SECONDS);
    assertThat(t.controls).hasSize(2);
    assertThat(t.controls.getFirst()).contains("\"type\":\"opened\"");
    assertThat(t.controls.getLast()).contains("\"type\":\"closed\"", "\"exitCode\":5");

    JsonNode audit = berth.get("/api/v1/audit?size=20&action=instance.exec").path("items");
    List<String> details = audit.findValuesAsText("detail");
    String opened = details.stream().filter(d -> d.endsWith(" opened")).findFirst().orElseThrow();
    String session = opened.split(" ")[2];
    assertThat(t.controls.getFirst()).contains(session);
    assertThat(details)
        .anySatisfy(
            d ->
                assertThat(d)
                    .startsWith("terminal session " + session + " closed after ")
                    .endsWith("the command exited with 5"));
    assertThat(audit.findValuesAsText("actor")).contains("admin");
    assertThat(audit.findValuesAsText("objectName")).contains("shell-0");
    JsonNode events = berth.get("/api/v1/events?size=50");
    assertThat(events.toString()).contains("TerminalOpened", "TerminalClosed", session);
  }

  @Test
  void refusalsComeBeforeTheUpgradeWithTheirReason() {
    await().atMost(WAIT).until(() -> !List.of("", "running").contains(state("broken", "broken-0")));
    TerminalClient.Outcome stopped =
        TerminalClient.connect(
            berth, "/api/v1/apps/broken/instances/broken-0/terminal", BerthServer.TOKEN);
    assertThat(stopped.status()).isEqualTo(409);
    assertThat(stopped.body()).contains("is not running");

    TerminalClient.Outcome unknown =
        TerminalClient.connect(
            berth, "/api/v1/apps/shell/instances/shell-9/terminal", BerthServer.TOKEN);
    assertThat(unknown.status()).isEqualTo(404);

    TerminalClient.Outcome badSize =
        TerminalClient.connect(
            berth, "/api/v1/apps/shell/instances/shell-0/terminal?cols=0", BerthServer.TOKEN);
    assertThat(badSize.status()).isEqualTo(400);
    assertThat(badSize.body()).contains("cols", "1 to 1000");

    TerminalClient.Outcome anonymous =
        TerminalClient.connect(berth, "/api/v1/apps/shell/instances/shell-0/terminal", null);
    assertThat(anonymous.status()).isEqualTo(401);
  }

  @Test
  void aTerminalClosesWhenItsInstanceStops() throws Exception {
    TerminalClient t = open("/api/v1/apps/shell/instances/shell-0/terminal");
    t.type("echo ready-$((1+1))\n");
    await().atMost(WAIT).until(() -> t.screen().contains("ready-2"));
    assertThat(
            berth.call("POST", "/api/v1/apps/shell/instances/shell-0/restart", null).statusCode())
        .isEqualTo(202);
    t.closed.get(30, TimeUnit.SECONDS);
    assertThat(t.controls).last().asString().contains("\"type\":\"closed\"");
    await().atMost(WAIT).until(() -> state("shell", "shell-0").equals("running"));
  }

  static JsonNode exec(String path, String body, int status) {
    java.net.http.HttpResponse<String> r = berth.call("POST", path, body);
    assertThat(r.statusCode()).as(path + " " + body + ": " + r.body()).isEqualTo(status);
    if (status != 200) {
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
    }
    return BerthServer.json(r.body());
  }

  @Test
  void aCommandRunsWithoutATerminalAndAnswersItsExitCodeOutputAndTimeout() {
    await().atMost(WAIT).until(() -> state("shell", "shell-0").equals("running"));
    String at = "/api/v1/apps/shell/instances/shell-0/exec";
    JsonNode ran =
        exec(
            at,
            "{\"command\":[\"sh\",\"-c\",\"echo out-$((6*7)); echo err >&2; exit 3\"],"
                + "\"timeoutSeconds\":20}",
            200);
    assertThat(ran.path("exitCode").asInt()).isEqualTo(3);
    assertThat(ran.path("output").asText()).contains("out-42\n", "err\n");
    assertThat(ran.path("timedOut").asBoolean()).isFalse();
    assertThat(ran.path("truncated").asBoolean()).isFalse();

    JsonNode big =
        exec(at, "{\"command\":[\"sh\",\"-c\",\"head -c 70000 /dev/zero | tr '\\\\0' x\"]}", 200);
    assertThat(big.path("exitCode").asInt()).isZero();
    assertThat(big.path("truncated").asBoolean()).isTrue();
    assertThat(big.path("output").asText()).hasSize(64 * 1024).matches("x+");

    JsonNode slow = exec(at, "{\"command\":[\"sleep\",\"60\"],\"timeoutSeconds\":1}", 200);
    assertThat(slow.path("timedOut").asBoolean()).isTrue();

    JsonNode bad = exec(at, "{\"command\":[],\"timeoutSeconds\":301}", 400);
    assertThat(bad.path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("command", "timeoutSeconds");
    exec("/api/v1/apps/shell/instances/shell-9/exec", "{\"command\":[\"true\"]}", 404);
    exec("/api/v1/apps/nothing/instances/nothing-0/exec", "{\"command\":[\"true\"]}", 404);
    await().atMost(WAIT).until(() -> !List.of("", "running").contains(state("broken", "broken-0")));
    JsonNode stopped =
        exec("/api/v1/apps/broken/instances/broken-0/exec", "{\"command\":[\"true\"]}", 409);
    assertThat(stopped.path("detail").asText()).contains("broken-0 is not running");

    JsonNode audit = berth.get("/api/v1/audit?size=50&action=instance.exec").path("items");
    assertThat(audit.findValuesAsText("detail"))
        .anyMatch(d -> d.startsWith("exec sleep 60: timed out after 1s"));
    assertThat(audit.findValuesAsText("detail"))
        .anyMatch(
            d ->
                d.startsWith(
                    "exec sh -c 'echo out-$((6*7)); echo err >&2; exit 3': exited with 3 ("));
    assertThat(audit.findValuesAsText("result")).contains("failed");
    assertThat(berth.get("/api/v1/events?object=shell-0&size=50").toString())
        .contains("\"Exec\"", "ran exec sleep 60: timed out");
    JsonNode described =
        berth
            .get("/api/v1/openapi.json")
            .at("/paths/~1api~1v1~1apps~1{app}~1instances~1{instance}~1exec/post/responses");
    assertThat(described.fieldNames())
        .toIterable()
        .contains("200", "400", "401", "403", "404", "409", "429", "503");
    assertThat(described.at("/200/content").toString()).contains("ExecResultJson");
  }

  @Test
  void oneTerminalOrExecPastTheUsersBoundIsRefusedWith429NamingTheSetting() throws Exception {
    await().atMost(WAIT).until(() -> state("shell", "shell-0").equals("running"));
    TerminalClient t = open("/api/v1/apps/shell/instances/shell-0/terminal");
    TerminalClient.Outcome second =
        TerminalClient.connect(
            berth, "/api/v1/apps/shell/instances/shell-0/terminal", BerthServer.TOKEN);
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.body())
        .contains("terminals of admin running now: 1", "berth.exec.max-per-user=1");

    String at = "/api/v1/apps/shell/instances/shell-0/exec";
    java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> held =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              // until it holds the place (a probe below may hold it for a moment)
              java.net.http.HttpResponse<String> r;
              do {
                r =
                    berth.call(
                        "POST",
                        at,
                        "{\"command\":[\"sh\",\"-c\",\"rm -f /tmp/go; until [ -f /tmp/go ];"
                            + " do sleep 1; done; echo released\"],\"timeoutSeconds\":120}");
              } while (r.statusCode() == 429);
              return r;
            });
    java.util.concurrent.atomic.AtomicReference<java.net.http.HttpResponse<String>> refused =
        new java.util.concurrent.atomic.AtomicReference<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              refused.set(berth.call("POST", at, "{\"command\":[\"true\"]}"));
              return refused.get().statusCode() == 429;
            });
    assertThat(refused.get().headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.get().headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(BerthServer.json(refused.get().body()).path("detail").asText())
        .contains("execs of admin running now: 1", "berth.exec.max-per-user=1");

    t.type("touch /tmp/go\n");
    java.net.http.HttpResponse<String> released = held.get(60, TimeUnit.SECONDS);
    assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
    assertThat(BerthServer.json(released.body()).path("output").asText()).contains("released");
    exec(at, "{\"command\":[\"true\"]}", 200);
    t.type("exit\n");
    t.closed.get(20, TimeUnit.SECONDS);
  }
}
