package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Resources;
import dev.berth.core.event.Event;
import dev.berth.core.event.EventType;
import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.RunStatus;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.task.RunState;
import dev.berth.core.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task runs on the local runtime: real runc containers on their own bridge, subnet and cgroup
 * parent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalRunsIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Duration NO_TIMEOUT = null;

  @TempDir static Path tmp;
  Host host;
  final Map<String, Long> startedNanos = new ConcurrentHashMap<>();
  final Map<String, Long> runningNanos = new ConcurrentHashMap<>();

  @BeforeAll
  void start() {
    host = new Host(tmp, 4);
    open();
  }

  @AfterAll
  void stop() throws Exception {
    if (host != null) {
      host.teardown();
    }
  }

  LocalRuntime open() {
    LocalRuntime rt = host.start();
    rt.observe(
        o -> {
          if (o instanceof Observation.RunChanged c && c.run().state() == RunState.RUNNING) {
            runningNanos.putIfAbsent(c.run().runId(), System.nanoTime());
          }
        });
    return rt;
  }

  LocalRuntime rt() {
    return host.runtime;
  }

  static RunWorkload work(
      String id, List<String> command, Duration timeout, int retries, boolean keepOnFailure) {
    TaskSpec spec = new TaskSpec("busybox:1", command, List.of(), Map.of("MODE", "task"), null);
    return new RunWorkload(id, "job", spec, timeout, Duration.ofSeconds(2), retries, keepOnFailure);
  }

  void startRun(RunWorkload w) {
    startedNanos.putIfAbsent(w.runId(), System.nanoTime());
    rt().startRun(w);
  }

  RunStatus run(String id) {
    return rt().run(id).orElseThrow();
  }

  RunStatus awaitEnded(String id, boolean reclaimed) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                rt().run(id)
                    .filter(r -> r.state().isFinal() && r.reclaimed() == reclaimed)
                    .isPresent());
    return run(id);
  }

  List<String> reasons(String id) {
    return host.reasons(id);
  }

  String logText(String id) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (var s = rt().logs(id, LogQuery.ALL)) {
      Optional<dev.berth.core.runtime.LogLine> line;
      while ((line = s.next(Duration.ZERO)).isPresent()) {
        sb.append(line.get().text()).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * No container (runc list), no mount, no cgroup, no netns, no IP and no bundle are left of the
   * run.
   */
  void assertNothingLeft(String id) throws Exception {
    String containers =
        Cmd.check("runc", "--root", host.config.runcRoot().toString(), "list", "-q");
    assertThat(containers.lines()).noneMatch(l -> l.equals(id) || l.startsWith(id + "."));
    assertThat(Files.readString(Path.of("/proc/self/mounts"))).doesNotContain("/runs/" + id + "/");
    assertThat(rt().cgroups.exists(id)).as("cgroup directories of " + id).isFalse();
    assertThat(Path.of("/var/run/netns/berth-" + host.config.bridge() + "-" + id)).doesNotExist();
    assertThat(rt().ipam.lookup(id)).isEmpty();
    assertThat(host.config.dataDir().resolve("runs").resolve(id).resolve("bundle")).doesNotExist();
  }

  @Test
  void failingRunEndsFailedWithItsExitCodeAndLeavesNothingBehind() throws Exception {
    startRun(work("fail-1", List.of("sh", "-c", "echo hello; exit 3"), NO_TIMEOUT, 0, false));
    RunStatus r = awaitEnded("fail-1", true);
    assertThat(r.state()).isEqualTo(RunState.FAILED);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.lastExit().code()).isEqualTo(3);
    assertThat(r.endedAt()).isNotNull();
    assertThat(r.hostIp()).isEqualTo("10.201.4.1");
    assertThat(logText("fail-1")).contains("hello");
    assertNothingLeft("fail-1");
    assertThat(reasons("fail-1")).containsSubsequence("Started", "Failed", "Reclaimed");
    Event failed =
        host.events("fail-1").stream()
            .filter(e -> e.reason().equals("Failed"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.type()).isEqualTo(EventType.WARNING);
    assertThat(failed.kind()).isEqualTo("run");
    assertThat(failed.app()).isEqualTo("job");
  }

  @Test
  void successfulRunSucceedsWithItsEnvironmentAndIsReclaimed() throws Exception {
    startRun(
        work("ok-1", List.of("sh", "-c", "echo $MODE $HOSTNAME; sleep 0.5"), NO_TIMEOUT, 0, false));
    RunStatus r = awaitEnded("ok-1", true);
    assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(r.lastExit().code()).isZero();
    assertThat(logText("ok-1")).contains("task ok-1");
    assertNothingLeft("ok-1");
    assertThat(reasons("ok-1")).containsSubsequence("Started", "Succeeded", "Reclaimed");
    assertThat(host.seen)
        .anyMatch(
            o ->
                o instanceof Observation.RunChanged c
                    && c.run().runId().equals("ok-1")
                    && c.run().state() == RunState.RUNNING);
    System.out.printf(
        "start latency of run ok-1 (startRun -> RUNNING): %d ms%n",
        (runningNanos.get("ok-1") - startedNanos.get("ok-1")) / 1_000_000);
  }

  @Test
  void keepsFailedRunWhenAskedToAndExecSeesItsFilesystem() throws Exception {
    startRun(
        work(
            "kept-1",
            List.of("sh", "-c", "echo kept > /marker; echo kept for debugging; exit 1"),
            NO_TIMEOUT,
            0,
            true));
    RunStatus r = awaitEnded("kept-1", false);
    assertThat(r.state()).isEqualTo(RunState.FAILED);
    var cat = rt().exec("kept-1", List.of("cat", "/marker"), Duration.ofSeconds(10));
    assertThat(cat.exitCode()).isZero();
    assertThat(cat.output()).isEqualTo("kept\n");
    var env =
        rt().exec(
                "kept-1",
                List.of("sh", "-c", "echo $MODE $HOSTNAME; exit 5"),
                Duration.ofSeconds(10));
    assertThat(env.exitCode()).isEqualTo(5);
    assertThat(env.output()).isEqualTo("task kept-1\n");
    assertThat(Cmd.check("runc", "--root", host.config.runcRoot().toString(), "list", "-q").lines())
        .noneMatch(l -> l.startsWith("kept-1."));

    rt().reclaimRun("kept-1");
    RunStatus after = awaitEnded("kept-1", true);
    assertThat(after.state()).isEqualTo(RunState.FAILED);
    assertNothingLeft("kept-1");
    assertThat(logText("kept-1"))
        .as("the log outlives the reclaimed container")
        .contains("kept for debugging");
  }

  @Test
  void timesOutWithTermFirstThenEnds() throws Exception {
    List<String> trapping =
        List.of(
            "sh", "-c", "trap 'echo got TERM; exit 143' TERM; echo started; sleep 60 & wait $!");
    startRun(work("slow-1", trapping, Duration.ofSeconds(2), 3, false));
    await().atMost(WAIT).until(() -> run("slow-1").state() == RunState.RUNNING);
    long t0 = System.nanoTime();
    RunStatus r = awaitEnded("slow-1", true);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
    assertThat(r.state()).isEqualTo(RunState.TIMED_OUT);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(logText("slow-1")).contains("started", "got TERM");
    assertThat(reasons("slow-1")).contains("TimedOut").doesNotContain("AttemptFailed");
    assertNothingLeft("slow-1");
  }

  @Test
  void retriesFailedAttemptsThenFails() throws Exception {
    startRun(work("retry-1", List.of("sh", "-c", "echo try; exit 1"), NO_TIMEOUT, 2, false));
    RunStatus r = awaitEnded("retry-1", true);
    assertThat(r.state()).isEqualTo(RunState.FAILED);
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(r.lastExit().code()).isEqualTo(1);
    List<Event> failed =
        host.events("retry-1").stream().filter(e -> e.reason().equals("AttemptFailed")).toList();
    assertThat(failed).hasSize(2).allMatch(e -> e.type() == EventType.WARNING);
    assertThat(failed.get(0).message()).contains("exited with code 1", "retrying in");
    assertThat(reasons("retry-1").stream().filter("Started"::equals)).hasSize(3);
    assertThat(logText("retry-1").lines().filter("try"::equals)).hasSize(3);
    // The back-off is observed: each retry starts no sooner than the wait its failure announced.
    List<Event> started =
        host.events("retry-1").stream().filter(e -> e.reason().equals("Started")).toList();
    for (int i = 0; i < 2; i++) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("retrying in (\\d+)(ms|s)")
              .matcher(failed.get(i).message());
      assertThat(m.find()).as(failed.get(i).message()).isTrue();
      Duration announced =
          m.group(2).equals("s")
              ? Duration.ofSeconds(Long.parseLong(m.group(1)))
              : Duration.ofMillis(Long.parseLong(m.group(1)));
      assertThat(announced).isPositive();
      assertThat(Duration.between(failed.get(i).time(), started.get(i + 1).time()))
          .as("wait before attempt " + (i + 2))
          .isGreaterThanOrEqualTo(announced);
    }
    assertNothingLeft("retry-1");
  }

  @Test
  void reportsOomKillOfARunOverItsMemoryLimit() throws Exception {
    TaskSpec hog =
        new TaskSpec(
            "busybox:1",
            List.of("sh", "-c", "x=a; while true; do x=$x$x; done"),
            List.of(),
            Map.of(),
            new Resources(0.1, 1, 16, CpuPolicy.SHARES, 0));
    startRun(new RunWorkload("hog-1", "job", hog, null, Duration.ofSeconds(1), 0, false));
    RunStatus r = awaitEnded("hog-1", true);
    assertThat(r.state()).isEqualTo(RunState.FAILED);
    assertThat(r.lastExit().reason()).isEqualTo(ExitReason.OOM);
    assertThat(reasons("hog-1")).containsSubsequence("OOMKilled", "Failed", "Reclaimed");
    assertNothingLeft("hog-1");
    assertThatThrownBy(() -> rt().exec("hog-1", List.of("true"), Duration.ofSeconds(5)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("reclaimed");
  }

  @Test
  void stopRunCancelsARunningRun() throws Exception {
    startRun(
        work(
            "stop-1",
            List.of("sh", "-c", "while true; do sleep 1 & wait $!; done"),
            NO_TIMEOUT,
            2,
            true));
    await().atMost(WAIT).until(() -> run("stop-1").state() == RunState.RUNNING);
    var echo =
        await()
            .atMost(WAIT)
            .until(
                () -> rt().exec("stop-1", List.of("sh", "-c", "echo $MODE"), Duration.ofSeconds(5)),
                x -> x.exitCode() == 0);
    assertThat(echo.output()).isEqualTo("task\n");
    rt().stopRun("stop-1", Duration.ofSeconds(1));
    RunStatus r = awaitEnded("stop-1", true);
    assertThat(r.state()).isEqualTo(RunState.CANCELLED);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(reasons("stop-1")).containsSubsequence("Started", "Cancelled", "Reclaimed");
    assertNothingLeft("stop-1");
    rt().stopRun("stop-1", Duration.ofSeconds(1));
    assertThat(run("stop-1").state()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void startingTheSameRunTwiceStartsOneRun() throws Exception {
    RunWorkload w = work("once-1", List.of("sh", "-c", "echo once"), NO_TIMEOUT, 0, false);
    startRun(w);
    startRun(w);
    RunStatus r = awaitEnded("once-1", true);
    startRun(w);
    assertThat(rt().runs().stream().filter(x -> x.runId().equals("once-1"))).hasSize(1);
    assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
    await()
        .during(Duration.ofMillis(500))
        .atMost(WAIT)
        .until(() -> run("once-1").attempts() == 1 && run("once-1").state() == RunState.SUCCEEDED);
    assertThat(reasons("once-1").stream().filter("Started"::equals)).hasSize(1);
    assertThat(logText("once-1").lines().filter("once"::equals)).hasSize(1);
  }

  @Test
  void newRuntimeAdoptsRunningRunsAndReportsRunsThatEndedMeanwhile() throws Exception {
    startRun(work("done-1", List.of("true"), NO_TIMEOUT, 0, false));
    startRun(
        work(
            "long-1",
            List.of("sh", "-c", "sleep 3; echo finished"),
            Duration.ofSeconds(60),
            0,
            false));
    startRun(work("quit-1", List.of("sh", "-c", "sleep 1; exit 4"), NO_TIMEOUT, 0, false));
    awaitEnded("done-1", true);
    await()
        .atMost(WAIT)
        .until(
            () ->
                run("long-1").state() == RunState.RUNNING
                    && run("quit-1").state() == RunState.RUNNING);
    rt().close();
    await()
        .atMost(WAIT)
        .until(() -> Files.exists(host.config.dataDir().resolve("runs/quit-1/bundle/exit")));

    host.seen.clear();
    open();
    assertThat(run("done-1").state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run("done-1").reclaimed()).isTrue();
    RunStatus quit = awaitEnded("quit-1", true);
    assertThat(quit.state()).isEqualTo(RunState.FAILED);
    assertThat(quit.lastExit().code()).isEqualTo(4);
    assertThat(quit.attempts()).isEqualTo(1);
    assertThat(run("long-1").state()).isEqualTo(RunState.RUNNING);
    RunStatus long1 = awaitEnded("long-1", true);
    assertThat(long1.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(long1.attempts()).isEqualTo(1);
    assertThat(logText("long-1")).contains("finished");
    assertThat(reasons("long-1")).doesNotContain("Started").contains("Succeeded", "Reclaimed");
    assertNothingLeft("long-1");
    assertNothingLeft("quit-1");
  }
}
