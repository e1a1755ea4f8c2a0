package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.BerthCli;
import dev.berth.cli.Io;
import dev.berth.oci.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The berth command line against a real Berth (runc containers, a real registry), run in-process
 * with its own home directory: login and contexts, apps from a YAML file, -o json|yaml, logs, a
 * command in an instance with and without a terminal, a command inside a run, a sync task's exit
 * code, release watch exit codes, images, nodes, events, and the one-line errors of a bad token, a
 * server that is down and a missing app.
 */
class CliIT {
  static final Duration READY = Duration.ofSeconds(90);
  static LocalBerth fixture;
  static BerthServer berth;
  static Path home;
  static String image2;

  record Result(int code, String out, String err) {
    JsonNode json() {
      return BerthServer.json(out);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(204, "hello from the cli test", Map.of());
    berth = fixture.berth;
    image2 = TestImages.pushBusybox(fixture.registry.host() + "/demo/busybox:2", "cli two");
    home = Files.createTempDirectory("berth-cli-home-");
    Result login = cli("login", "--server", berth.baseUrl(), "--token", BerthServer.TOKEN);
    assertThat(login.code()).as(login.err()).isZero();
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static Result cli(String... args) {
    return cliWith(Map.of(), "", args);
  }

  static Result cliWith(Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("HOME", home.toString());
    int code =
        BerthCli.run(
            new Io(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                all),
            args);
    Result r =
        new Result(
            code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    assertThat(r.err())
        .as("never a stack trace")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
    return r;
  }

  static Result ok(String... args) {
    Result r = cli(args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  static String httpd(String name, int instances) {
    return """
        name: %s
        image: %s
        command: [httpd, -f, -p, "8080", -h, /www]
        instances: %d
        health:
          readiness: {type: tcp, port: 8080, periodSeconds: 1}
        """
        .formatted(name, fixture.image, instances);
  }

  static void awaitRunning(String app) {
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(ok("apps", "get", app, "-o", "json").json().at("/status/phase").asText())
                    .isEqualTo("Running"));
  }

  @Test
  void loginSavesAContextAndABadTokenIsOneLineSayingWhatToDo() throws Exception {
    assertThat(Files.readString(home.resolve(".config/berth/config")))
        .contains("server: " + berth.baseUrl());
    assertThat(ok("context", "list").out()).contains("*").contains(berth.baseUrl());

    Result bad = cliWith(Map.of("BERTH_TOKEN", "berth_not_a_token"), "", "apps", "list");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err().lines()).hasSize(1);
    assertThat(bad.err())
        .startsWith("berth: Unauthorized (401)")
        .contains("the token is missing, expired or revoked at " + berth.baseUrl())
        .contains("berth login");

    Path elsewhere = Files.createTempDirectory("berth-cli-other-");
    Result refused =
        cliWith(
            Map.of("HOME", elsewhere.toString()),
            "",
            "login",
            "--server",
            berth.baseUrl(),
            "--token",
            "berth_not_a_token");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(Files.exists(elsewhere.resolve(".config/berth/config")))
        .as("no context saved for a refused token")
        .isFalse();

    Result down = cliWith(Map.of("BERTH_SERVER", "http://127.0.0.1:9"), "", "apps", "list");
    assertThat(down.err())
        .isEqualTo(
            "berth: cannot reach Berth at http://127.0.0.1:9: connection refused (is it running?)\n");
    assertThat(down.code()).isEqualTo(1);
  }

  @Test
  void appsFromAYamlFileAreAppliedShownScaledAndDeletedAfterTypingTheirName() throws Exception {
    Path spec = home.resolve("cli-web.yaml");
    Files.writeString(spec, httpd("cli-web", 1));
    assertThat(ok("apps", "apply", "-f", spec.toString()).out())
        .startsWith("app 'cli-web' applied");
    awaitRunning("cli-web");

    assertThat(ok("apps", "list").out())
        .startsWith("NAME")
        .containsPattern("cli-web\\s+Running\\s+1/1\\s+1\\s+" + fixture.image);
    JsonNode json = ok("apps", "get", "cli-web", "-o", "json").json();
    assertThat(json.path("instances").asInt()).isEqualTo(1);
    assertThat(ok("apps", "get", "cli-web", "-o", "yaml").out()).contains("name: cli-web\n");

    Files.writeString(spec, httpd("cli-web", 1) + "env: {GREETING: hi}\n");
    ok("apps", "apply", "-f", spec.toString());
    JsonNode changed = ok("apps", "get", "cli-web", "-o", "json").json();
    assertThat(changed.at("/env/GREETING").asText()).isEqualTo("hi");
    assertThat(changed.path("version").asLong()).isGreaterThan(json.path("version").asLong());

    assertThat(ok("apps", "scale", "cli-web", "2").out()).isEqualTo("app 'cli-web' scaled to 2\n");
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(ok("instances", "list", "cli-web", "-o", "json").json().path("items"))
                    .hasSize(2));
    assertThat(ok("events", "--object", "cli-web", "-o", "json").json().path("items")).isNotEmpty();

    Result invalid = cli("apps", "scale", "cli-web", "-1");
    assertThat(invalid.code()).isEqualTo(1);
    assertThat(invalid.err()).startsWith("berth: ").contains("instances").hasLineCount(1);

    Result wrongName = cliWith(Map.of(), "cli-wbe\n", "apps", "delete", "cli-web");
    assertThat(wrongName.code()).isEqualTo(1);
    assertThat(wrongName.err())
        .contains("Type its name")
        .contains("'cli-wbe' is not 'cli-web'; nothing deleted");
    assertThat(ok("apps", "get", "cli-web").out()).contains("cli-web");

    Result deleted = cliWith(Map.of(), "cli-web\n", "apps", "delete", "cli-web");
    assertThat(deleted.code()).as(deleted.err()).isZero();
    assertThat(deleted.out()).isEqualTo("app 'cli-web' deleted\n");

    Result missing = cli("apps", "get", "no-such-app");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err())
        .startsWith("berth: Not found (404)")
        .contains("no-such-app")
        .hasLineCount(1);
  }

  @Test
  void aSyncTaskStreamsItsLogAndExitsWithTheRunsExitCode() {
    Result run =
        cli(
            "tasks",
            "run",
            "cli-exit",
            "--image",
            fixture.image,
            "--sync",
            "--",
            "sh",
            "-c",
            "echo hello from a task; exit 3");
    assertThat(run.code()).as(run.err()).isEqualTo(3);
    assertThat(run.out()).isEqualTo("hello from a task\n");
    assertThat(run.err()).contains("run 'cli-exit-1' failed with exit code 3");

    Result again =
        cli(
            "tasks",
            "run",
            "cli-exit",
            "--image",
            fixture.image,
            "--sync",
            "--",
            "sh",
            "-c",
            "echo hello from a task; exit 3");
    assertThat(again.code()).as(again.err()).isEqualTo(3);
    assertThat(again.out()).isEqualTo("hello from a task\n");
    assertThat(again.err()).contains("run 'cli-exit-2'");

    JsonNode runs = ok("runs", "list", "--task", "cli-exit", "-o", "json").json().path("items");
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).path("exitCode").asInt()).isEqualTo(3);
    assertThat(ok("runs", "logs", "cli-exit-1").out()).isEqualTo("hello from a task\n");

    Result other = cli("tasks", "run", "cli-exit", "--image", fixture.image, "--", "true");
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.err()).contains("exists with another command");
  }

  @Test
  void aTaskOnAPoolFromFlagsOrAFileIsPlacedThereAndListedWithItsPool() throws Exception {
    var pool =
        berth.call(
            "POST",
            "/api/v1/clusters/local/pools",
            "{\"name\":\"cli-pool\",\"selector\":{\"berth.dev/runtime\":\"local\"}}");
    assertThat(pool.statusCode()).as(pool.body()).isEqualTo(201);
    Result unknown =
        cli("tasks", "run", "cli-placed", "--image", fixture.image, "--pool", "nope", "--", "true");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err())
        .contains("scheduling.pool: unknown pool 'nope'", "cli-pool")
        .hasLineCount(1);

    Result run =
        cli(
            "tasks",
            "run",
            "cli-placed",
            "--image",
            fixture.image,
            "--pool",
            "cli-pool",
            "--sync",
            "--",
            "echo",
            "placed by the cli");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("placed by the cli\n");
    assertThat(
            ok("tasks", "get", "cli-placed", "-o", "json").json().at("/scheduling/pool").asText())
        .isEqualTo("cli-pool");
    assertThat(ok("tasks", "list").out().lines())
        .anySatisfy(l -> assertThat(l).startsWith("cli-placed ").contains(" cli-pool "));

    Result elsewhere =
        cli(
            "tasks",
            "run",
            "cli-placed",
            "--image",
            fixture.image,
            "--",
            "echo",
            "placed by the cli");
    assertThat(elsewhere.code()).isEqualTo(1);
    assertThat(elsewhere.err()).contains("task 'cli-placed' exists with pool 'cli-pool'");
    ok("tasks", "delete", "cli-placed");

    Path spec = home.resolve("cli-filed.yaml");
    Files.writeString(
        spec,
        """
        name: cli-filed
        image: %s
        command: [echo, from a file]
        mode: sync
        trigger: {type: now}
        scheduling: {pool: cli-pool}
        """
            .formatted(fixture.image));
    assertThat(ok("tasks", "create", "-f", spec.toString()).out())
        .isEqualTo("task 'cli-filed' created; run 'cli-filed-1' is succeeded\n");
    assertThat(ok("tasks", "get", "cli-filed", "-o", "json").json().at("/scheduling/pool").asText())
        .isEqualTo("cli-pool");
    assertThat(ok("runs", "logs", "cli-filed-1").out()).isEqualTo("from a file\n");
    ok("tasks", "delete", "cli-filed");
  }

  @Test
  void logsAndATerminalOfAnInstanceAndACommandInsideARunningRun() {
    ok(
        "apps",
        "create",
        "cli-talk",
        "--image",
        fixture.image,
        "--",
        "sh",
        "-c",
        "echo hello from $HOSTNAME; exec sleep 3600");
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(ok("instances", "logs", "cli-talk", "cli-talk-0").out())
                    .isEqualTo("hello from cli-talk-0\n"));
    assertThat(ok("instances", "logs", "cli-talk", "--timestamps").out())
        .matches("cli-talk-0 \\d{4}-\\d\\d-\\d\\dT\\S+Z hello from cli-talk-0\\n");

    Result command =
        cli(
            "instances",
            "exec",
            "-it",
            "cli-talk",
            "cli-talk-0",
            "--",
            "sh",
            "-c",
            "echo tty-$((40+2)); exit 5");
    assertThat(command.code()).as(command.out() + command.err()).isEqualTo(5);
    assertThat(command.out()).contains("tty-42");
    Result shell =
        cliWith(
            Map.of(),
            "echo hello-$((6*7))\nexit 7\n",
            "instances",
            "exec",
            "-it",
            "cli-talk",
            "cli-talk-0");
    assertThat(shell.code()).as(shell.out() + shell.err()).isEqualTo(7);
    assertThat(shell.out()).contains("hello-42");
    Result refused = cli("instances", "exec", "-it", "cli-talk", "cli-talk-9");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .startsWith("berth: Not found (404)")
        .contains("cli-talk-9")
        .hasLineCount(1);
    Result once =
        cli("instances", "exec", "cli-talk", "cli-talk-0", "--", "sh", "-c", "echo hi; exit 3");
    assertThat(once.code()).as(once.err()).isEqualTo(3);
    assertThat(once.out()).isEqualTo("hi\n");
    assertThat(once.err()).isEmpty();
    Result slow =
        cli("instances", "exec", "cli-talk", "cli-talk-0", "--timeout", "1", "--", "sleep", "60");
    assertThat(slow.code()).as(slow.err()).isEqualTo(124);
    assertThat(slow.err())
        .isEqualTo(
            "berth: the command did not end within 1s in cli-talk-0 and was stopped (exit code"
                + " 124; --timeout gives it longer)\n");
    Result json =
        cli(
            "instances",
            "exec",
            "cli-talk",
            "cli-talk-0",
            "-o",
            "json",
            "--",
            "sh",
            "-c",
            "exit 2");
    assertThat(json.code()).isEqualTo(2);
    assertThat(json.json().path("timedOut").asBoolean()).isFalse();

    Result started =
        ok("tasks", "run", "cli-sleep", "--image", fixture.image, "--", "sh", "-c", "sleep 3600");
    assertThat(started.out()).isEqualTo("run 'cli-sleep-1' started\n");
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(
                        ok("runs", "get", "cli-sleep-1", "-o", "json")
                            .json()
                            .path("state")
                            .asText())
                    .isEqualTo("running"));
    Result exec =
        cli("runs", "exec", "cli-sleep-1", "--", "sh", "-c", "echo inside $HOSTNAME; exit 4");
    assertThat(exec.code()).as(exec.err()).isEqualTo(4);
    assertThat(exec.out()).startsWith("inside ");
    ok("tasks", "delete", "cli-sleep");
  }

  @Test
  void releaseWatchTellsPausedForPromotionFromSucceededAndAborted() throws Exception {
    Path spec = home.resolve("cli-rel.yaml");
    Files.writeString(spec, httpd("cli-rel", 2));
    ok("apps", "create", "-f", spec.toString());
    awaitRunning("cli-rel");

    Result started =
        ok(
            "releases",
            "start",
            "cli-rel",
            "--image",
            image2,
            "--bastion",
            "1",
            "--batches",
            "1",
            "--manual");
    assertThat(started.out()).startsWith("release 1 of 'cli-rel' started: revision 1 -> 2");
    Result paused = cli("releases", "watch", "cli-rel");
    assertThat(paused.code()).as(paused.out() + paused.err()).isEqualTo(10);
    assertThat(paused.out()).contains("paused").contains("AwaitingPromotion");

    ok("releases", "promote", "cli-rel");
    Result succeeded = cli("releases", "watch", "cli-rel", "1");
    assertThat(succeeded.code()).as(succeeded.out() + succeeded.err()).isZero();
    assertThat(succeeded.out()).contains("succeeded");

    ok("releases", "rollback", "cli-rel", "--to", "1");
    JsonNode rollback = ok("releases", "get", "cli-rel", "-o", "json").json();
    assertThat(rollback.path("id").asLong()).isEqualTo(2);
    Result back = cli("releases", "watch", "cli-rel", "-o", "json");
    assertThat(back.code()).isZero();
    assertThat(back.json().path("state").asText()).isEqualTo("succeeded");

    ok("releases", "start", "cli-rel", "--image", image2, "--bastion", "1", "--manual");
    assertThat(cli("releases", "watch", "cli-rel").code()).isEqualTo(10);
    ok("releases", "abort", "cli-rel");
    Result aborted = cli("releases", "watch", "cli-rel");
    assertThat(aborted.code()).as(aborted.out()).isEqualTo(20);
    assertThat(ok("releases", "list", "cli-rel").out().lines()).hasSize(4);
  }

  @Test
  void imagesShowTagsAndTheNewestAndNodesAreListed() {
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/registries",
                    "{\"name\":\"demo\",\"url\":\"" + fixture.registry.url() + "\"}")
                .statusCode())
        .isEqualTo(201);
    assertThat(ok("images", "list", "--registry", "demo").out()).contains("demo/busybox");
    assertThat(ok("images", "tags", "demo/busybox", "--registry", "demo").out())
        .startsWith("TAG")
        .containsPattern("\\n1 ")
        .containsPattern("\\n2 ");
    String newest =
        berth
            .get("/api/v1/images/tags?registry=demo&repository=demo/busybox")
            .path("newest")
            .asText();
    assertThat(ok("images", "newest", "demo/busybox", "--registry", "demo").out())
        .isEqualTo(newest + "\n");
    assertThat(ok("nodes", "list", "-o", "json").json().at("/items/0/cluster").asText())
        .isEqualTo("local");
  }

  @Test
  void nodesAreCordonedAndUncordonedAndAMissingNodeIsOneLine() {
    String node = ok("nodes", "list", "-o", "json").json().at("/items/0/name").asText();
    assertThat(ok("nodes", "cordon", node).out()).isEqualTo("node '" + node + "' cordoned\n");
    assertThat(ok("nodes", "list").out()).containsPattern(node + ".*false");
    assertThat(ok("nodes", "uncordon", node, "-o", "json").json().path("schedulable").asBoolean())
        .isTrue();
    Result missing = cli("nodes", "drain", "no-such-node", "--deadline", "1m", "--wait");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err())
        .startsWith("berth: ")
        .contains("(404)")
        .contains("no-such-node")
        .hasLineCount(1);
  }

  @Test
  void binBerthRunsTheBuiltJarAsAProcess() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    ProcessBuilder pb =
        new ProcessBuilder(repo.resolve("bin/berth").toString(), "nodes", "list", "-o", "yaml")
            .redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).startsWith("items:\n").contains("cluster: local");
  }
}
