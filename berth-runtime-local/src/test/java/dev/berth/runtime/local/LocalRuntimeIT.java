package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Health;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.app.PortSpec;
import dev.berth.core.app.Probe;
import dev.berth.core.app.ProbeType;
import dev.berth.core.app.Resources;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.Instance;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.LogLine;
import dev.berth.core.runtime.LogQuery;
import dev.berth.runtime.local.cgroup.Cgroups;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalRuntimeIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final List<String> HTTPD = List.of("httpd", "-f", "-p", "8080", "-h", "/www");

  @TempDir static Path tmp;
  Host host;
  LocalRuntime rt;

  @BeforeAll
  void start() {
    host = new Host(tmp, 1);
    rt = host.start();
  }

  @AfterAll
  void stop() throws Exception {
    if (host != null) {
      host.teardown();
    }
  }

  static AppSpec spec(
      List<String> command, Resources resources, Health health, Lifecycle lifecycle) {
    return new AppSpec(
        "busybox:1",
        command,
        List.of(),
        Map.of("MODE", "test"),
        List.of(new PortSpec("http", 8080, null)),
        resources,
        health,
        lifecycle);
  }

  static AppSpec spec(List<String> command) {
    return spec(command, null, null, new Lifecycle(List.of(), List.of(), 2, true));
  }

  Instance instance(String app, int ordinal) {
    return rt.instances(app).stream().filter(i -> i.ordinal() == ordinal).findFirst().orElseThrow();
  }

  Instance awaitRunning(String app, int ordinal) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                rt.instances(app).stream()
                    .anyMatch(
                        i ->
                            i.ordinal() == ordinal
                                && i.state() == InstanceState.RUNNING
                                && i.ready()));
    return instance(app, ordinal);
  }

  void deleteAndAwait(String app) {
    rt.deleteApp(app);
    await().atMost(WAIT).until(() -> rt.instances(app).isEmpty());
  }

  static String get(String url) throws Exception {
    try (HttpClient http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  long containerPid(String id) {
    Runc runc = new Runc("runc", host.config.runcRoot());
    return await()
        .atMost(WAIT)
        .until(
            () -> runc.state(id).filter(Runc.State::running).map(Runc.State::pid).orElse(0L),
            pid -> pid > 0);
  }

  @Test
  void servesHttpFromTwoInstancesOnDistinctFixedIps() throws Exception {
    rt.applyApp(AppWorkload.settled("web", 2, Set.of(), 1, spec(HTTPD)));
    Instance a = awaitRunning("web", 0);
    Instance b = awaitRunning("web", 1);
    assertThat(a.ip()).isNotEqualTo(b.ip()).startsWith("10.201.1.");
    assertThat(b.ip()).startsWith("10.201.1.");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(get("http://" + a.ip() + ":8080/")).contains("hello from berth"));
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(get("http://" + b.ip() + ":8080/")).contains("hello from berth"));
    assertThat(host.reasons("web-0")).contains("Started", "Ready");

    deleteAndAwait("web");
    assertThat(host.config.dataDir().resolve("instances/web")).doesNotExist();
    assertThat(Path.of("/var/run/netns/berth-" + host.config.bridge() + "-web-0")).doesNotExist();
  }

  @Test
  void restartsKilledMainProcessWithTheSameIp() throws Exception {
    rt.applyApp(AppWorkload.settled("crash", 1, Set.of(), 1, spec(HTTPD)));
    Instance before = awaitRunning("crash", 0);
    Cmd.check("kill", "-9", Long.toString(containerPid("crash-0")));
    await()
        .atMost(WAIT)
        .until(
            () ->
                instance("crash", 0).restarts() == 1
                    && instance("crash", 0).state() == InstanceState.RUNNING);
    Instance after = instance("crash", 0);
    assertThat(after.ip()).isEqualTo(before.ip());
    assertThat(after.lastExit().reason()).isEqualTo(ExitReason.KILLED);
    assertThat(host.reasons("crash-0")).contains("Exited", "Restarted");
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(get("http://" + after.ip() + ":8080/")).contains("hello"));
    deleteAndAwait("crash");
  }

  @Test
  void reportsOomKillOfMemoryHog() {
    Resources small = new Resources(0.1, 1, 16, CpuPolicy.SHARES, 0);
    rt.applyApp(
        AppWorkload.settled(
            "hog",
            1,
            Set.of(),
            1,
            spec(
                List.of("sh", "-c", "x=a; while true; do x=$x$x; done"),
                small,
                null,
                new Lifecycle(List.of(), List.of(), 2, true))));
    await().atMost(WAIT).until(() -> host.reasons("hog-0").contains("OOMKilled"));
    await().atMost(WAIT).until(() -> instance("hog", 0).lastExit() != null);
    assertThat(instance("hog", 0).lastExit().reason()).isEqualTo(ExitReason.OOM);
    deleteAndAwait("hog");
  }

  static Probe probe(ProbeType type, Integer port, List<String> command, int failureThreshold) {
    return new Probe(type, port, "/", command, 0, 1, 1, failureThreshold, 1);
  }

  static final List<String> LOOP = List.of("sh", "-c", "while true; do sleep 1 & wait $!; done");

  @Test
  void readinessHttpProbeGatesReady() {
    AppSpec s =
        spec(
            List.of("sh", "-c", "sleep 2; exec httpd -f -p 8080 -h /www"),
            null,
            new Health(null, probe(ProbeType.HTTP, 8080, null, 1)),
            new Lifecycle(List.of(), List.of(), 2, true));
    rt.applyApp(AppWorkload.settled("ready", 1, Set.of(), 1, s));
    await().atMost(WAIT).until(() -> instance("ready", 0).state() == InstanceState.RUNNING);
    assertThat(instance("ready", 0).ready()).isFalse();
    await().atMost(WAIT).until(() -> instance("ready", 0).ready());
    assertThat(host.reasons("ready-0")).contains("Ready");
    deleteAndAwait("ready");
  }

  @Test
  void failingLivenessProbeRestartsTheInstance() {
    AppSpec s =
        spec(
            LOOP,
            null,
            new Health(probe(ProbeType.TCP, 9999, null, 2), null),
            new Lifecycle(List.of(), List.of(), 1, true));
    rt.applyApp(AppWorkload.settled("live", 1, Set.of(), 1, s));
    await().atMost(WAIT).until(() -> instance("live", 0).restarts() >= 1);
    assertThat(host.reasons("live-0")).contains("Unhealthy", "Killing", "Restarted");
    assertThat(
            host.events("live-0").stream()
                .filter(e -> e.reason().equals("Unhealthy"))
                .findFirst()
                .orElseThrow()
                .type())
        .isEqualTo(dev.berth.core.event.EventType.WARNING);
    deleteAndAwait("live");
  }

  @Test
  void commandProbeDecidesReadinessInsideTheContainer() {
    AppSpec s =
        spec(
            LOOP,
            null,
            new Health(null, probe(ProbeType.CMD, null, List.of("cat", "/tmp/ready"), 1)),
            new Lifecycle(List.of(), List.of(), 1, true));
    rt.applyApp(AppWorkload.settled("cmdp", 1, Set.of(), 1, s));
    await().atMost(WAIT).until(() -> instance("cmdp", 0).state() == InstanceState.RUNNING);
    await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> !instance("cmdp", 0).ready());
    assertThat(rt.exec("cmdp-0", List.of("touch", "/tmp/ready"), Duration.ofSeconds(5)).exitCode())
        .isZero();
    await().atMost(WAIT).until(() -> instance("cmdp", 0).ready());
    deleteAndAwait("cmdp");
  }

  @Test
  void execReturnsOutputAndExitCode() {
    rt.applyApp(AppWorkload.settled("exec", 1, Set.of(), 1, spec(LOOP)));
    awaitRunning("exec", 0);
    var r =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    rt.exec(
                        "exec-0",
                        List.of("sh", "-c", "echo hi $MODE $HOSTNAME; exit 3"),
                        Duration.ofSeconds(5)),
                x -> x.exitCode() != 255 && x.exitCode() != 1);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.output()).isEqualTo("hi test exec-0\n");
    assertThat(r.timedOut()).isFalse();
    var slow = rt.exec("exec-0", List.of("sleep", "10"), Duration.ofMillis(500));
    assertThat(slow.timedOut()).isTrue();
    deleteAndAwait("exec");
  }

  @Test
  void gracefulStopSendsTermFirstAndRunsPreStop() throws Exception {
    List<String> trapping =
        List.of(
            "sh",
            "-c",
            "trap 'echo got TERM; exit 0' TERM; echo started; while true; do sleep 1 & wait $!; done");
    List<String> preStop = List.of("sh", "-c", "echo prestop-ran > /proc/1/fd/1");
    rt.applyApp(
        AppWorkload.settled(
            "term",
            1,
            Set.of(),
            1,
            spec(trapping, null, null, new Lifecycle(List.of(), preStop, 5, true))));
    awaitRunning("term", 0);
    await().atMost(WAIT).until(() -> logText("term-0").contains("started"));
    rt.restartInstance("term", 0);
    await()
        .atMost(WAIT)
        .until(
            () ->
                instance("term", 0).restarts() == 1
                    && instance("term", 0).state() == InstanceState.RUNNING);
    String text = logText("term-0");
    assertThat(text).contains("prestop-ran", "got TERM");
    assertThat(text.indexOf("prestop-ran")).isLessThan(text.indexOf("got TERM"));
    assertThat(instance("term", 0).lastExit().reason()).isEqualTo(ExitReason.COMPLETED);
    assertThat(host.reasons("term-0")).contains("Killing", "Restarted");
    deleteAndAwait("term");
  }

  @Test
  void gracefulStopKillsAfterTheTimeoutWhenTermIsIgnored() throws Exception {
    List<String> stubborn =
        List.of(
            "sh",
            "-c",
            "trap 'echo ignoring TERM' TERM; echo started; while true; do sleep 1 & wait $!; done");
    rt.applyApp(
        AppWorkload.settled(
            "stubborn",
            1,
            Set.of(),
            1,
            spec(stubborn, null, null, new Lifecycle(List.of(), List.of(), 1, true))));
    awaitRunning("stubborn", 0);
    await().atMost(WAIT).until(() -> logText("stubborn-0").contains("started"));
    rt.restartInstance("stubborn", 0);
    await()
        .atMost(WAIT)
        .until(
            () ->
                instance("stubborn", 0).restarts() == 1
                    && instance("stubborn", 0).lastExit() != null);
    assertThat(logText("stubborn-0")).contains("ignoring TERM");
    assertThat(instance("stubborn", 0).lastExit().signal()).isEqualTo(9);
    deleteAndAwait("stubborn");
  }

  @Test
  void logsTailAndFollowAndOutliveTheInstance() throws Exception {
    rt.applyApp(
        AppWorkload.settled(
            "chatty",
            1,
            Set.of(),
            1,
            spec(
                List.of(
                    "sh", "-c", "i=0; while true; do i=$((i+1)); echo line $i; sleep 0.2; done"))));
    awaitRunning("chatty", 0);
    await().atMost(WAIT).until(() -> logText("chatty-0").contains("line 3"));
    try (var tail = rt.logs("chatty-0", new LogQuery(2, false))) {
      LogLine l = tail.next(Duration.ZERO).orElseThrow();
      assertThat(l.text()).startsWith("line ");
      assertThat(l.stream()).isEqualTo(LogLine.STDOUT);
      assertThat(l.time())
          .isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
      assertThat(tail.next(Duration.ZERO).orElseThrow().text()).startsWith("line ");
      assertThat(tail.next(Duration.ZERO)).isEmpty();
      assertThat(tail.ended()).isTrue();
    }
    try (var follow = rt.logs("chatty-0", new LogQuery(0, true))) {
      String first = follow.next(Duration.ofSeconds(5)).orElseThrow().text();
      String second = follow.next(Duration.ofSeconds(5)).orElseThrow().text();
      assertThat(Integer.parseInt(second.substring(5)))
          .isEqualTo(Integer.parseInt(first.substring(5)) + 1);
    }
    deleteAndAwait("chatty");
    assertThat(logText("chatty-0")).contains("line 1");
  }

  @Test
  void cgroupFilesHoldTheMappedResources() throws Exception {
    Resources r = new Resources(0.5, 1.5, 64, CpuPolicy.CPUSET, 100);
    rt.applyApp(
        AppWorkload.settled(
            "limits",
            1,
            Set.of(),
            1,
            spec(LOOP, r, null, new Lifecycle(List.of(), List.of(), 1, false))));
    awaitRunning("limits", 0);
    containerPid("limits-0");
    Cgroups.Limits limits =
        Host.CGROUPS.limits("/" + host.config.cgroupParent() + "/limits-0").orElseThrow();
    long shares = 512;
    assertThat(limits.cpuWeight())
        .isEqualTo(
            Host.CGROUPS.mode() == Cgroups.Mode.V1 ? shares : Cgroups.weightForShares(shares));
    assertThat(limits.cpuQuotaMicros()).isEqualTo(150_000);
    assertThat(limits.cpuPeriodMicros()).isEqualTo(100_000);
    assertThat(limits.memoryBytes()).isEqualTo(64L << 20);
    assertThat(limits.pidsMax()).isEqualTo(100);
    assertThat(limits.cpus()).matches("\\d+");
    deleteAndAwait("limits");
  }

  @Test
  void qosClassesSetCpuWeightAndOomScoreAdjOfRunningContainers() throws Exception {
    Lifecycle once = new Lifecycle(List.of(), List.of(), 1, false);
    Map<String, Resources> byClass =
        Map.of(
            "qos-g", new Resources(0.5, 0.5, 64, CpuPolicy.SHARES, 0),
            "qos-b", new Resources(0.5, 0, 64, CpuPolicy.SHARES, 0),
            "qos-e", new Resources(0, 0, 64, CpuPolicy.SHARES, 0));
    byClass.forEach(
        (app, r) ->
            rt.applyApp(AppWorkload.settled(app, 1, Set.of(), 1, spec(LOOP, r, null, once))));
    Map<String, Long> weights = new java.util.HashMap<>();
    Map<String, Integer> oom = new java.util.HashMap<>();
    for (String app : byClass.keySet()) {
      awaitRunning(app, 0);
      long pid = containerPid(app + "-0");
      weights.put(
          app,
          Host.CGROUPS
              .limits("/" + host.config.cgroupParent() + "/" + app + "-0")
              .orElseThrow()
              .cpuWeight());
      oom.put(
          app,
          Integer.parseInt(
              java.nio.file.Files.readString(Path.of("/proc/" + pid + "/oom_score_adj")).trim()));
    }
    boolean v1 = Host.CGROUPS.mode() == Cgroups.Mode.V1;
    assertThat(weights)
        .containsEntry("qos-g", v1 ? 512L : Cgroups.weightForShares(512))
        .containsEntry("qos-b", v1 ? 512L : Cgroups.weightForShares(512))
        .containsEntry("qos-e", v1 ? 2L : 1L);
    assertThat(oom)
        .containsEntry("qos-g", Math.max(-500, HostInfo.oomScoreAdjFloor()))
        .containsEntry("qos-b", 500)
        .containsEntry("qos-e", 1000);
    byClass.keySet().forEach(this::deleteAndAwait);
  }

  @Test
  void revisionChangeReplacesInstancesWithAFreshFilesystemAndTheSameIp() {
    rt.applyApp(AppWorkload.settled("rev", 1, Set.of(), 1, spec(LOOP)));
    Instance before = awaitRunning("rev", 0);
    containerPid("rev-0");
    assertThat(rt.exec("rev-0", List.of("touch", "/marker"), Duration.ofSeconds(5)).exitCode())
        .isZero();
    AppSpec next =
        new AppSpec(
            "busybox:1",
            LOOP,
            List.of(),
            Map.of("MODE", "two"),
            List.of(),
            null,
            null,
            new Lifecycle(List.of(), List.of(), 1, true));
    rt.applyApp(AppWorkload.settled("rev", 1, Set.of(), 2, next));
    await()
        .atMost(WAIT)
        .until(
            () ->
                instance("rev", 0).revision() == 2
                    && instance("rev", 0).state() == InstanceState.RUNNING);
    containerPid("rev-0");
    assertThat(instance("rev", 0).ip()).isEqualTo(before.ip());
    assertThat(instance("rev", 0).restarts()).isZero();
    // stdout and stderr of an exec arrive through separate pipes, so their order is not defined.
    assertThat(
            rt.exec("rev-0", List.of("sh", "-c", "echo $MODE; ls /marker"), Duration.ofSeconds(5))
                .output())
        .contains("two\n")
        .contains("No such file");
    deleteAndAwait("rev");
  }

  @Test
  void stopsAnInstanceGracefullyAtOnceEvenRightAfterItStarted() {
    // The default stop timeout is 30 s: a SIGTERM lost to an init that is still starting would
    // show.
    rt.applyApp(AppWorkload.settled("young", 1, Set.of(), 1, spec(HTTPD)));
    awaitRunning("young", 0);
    rt.deleteInstance("young", 0, false);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> rt.instances("young").isEmpty() && !rt.runc.exists("young-0"));
    deleteAndAwait("young");
  }

  @Test
  void deletingAnInstanceRightAfterARestartLeavesNoContainerBehind() {
    rt.applyApp(AppWorkload.settled("rd", 1, Set.of(), 1, spec(LOOP)));
    awaitRunning("rd", 0);
    rt.restartInstance("rd", 0);
    rt.deleteInstance("rd", 0, false);
    // A controller pass that read the app before the delete may still apply the old workload.
    rt.applyApp(AppWorkload.settled("rd", 0, Set.of(0), 1, spec(LOOP)));
    await().atMost(WAIT).until(() -> rt.instances("rd").isEmpty() && !rt.runc.exists("rd-0"));
    deleteAndAwait("rd");
  }

  @Test
  void deleteInstanceWithReplaceKeepsIdentityAndWithoutReleasesIt() {
    rt.applyApp(AppWorkload.settled("del", 2, Set.of(), 1, spec(LOOP)));
    Instance zero = awaitRunning("del", 0);
    awaitRunning("del", 1);
    long pid = containerPid("del-0");
    assertThat(rt.exec("del-0", List.of("touch", "/marker"), Duration.ofSeconds(5)).exitCode())
        .isZero();
    rt.deleteInstance("del", 0, true);
    await()
        .atMost(WAIT)
        .until(
            () ->
                rt.instances("del").size() == 2
                    && instance("del", 0).state() == InstanceState.RUNNING
                    && containerPid("del-0") != pid);
    assertThat(instance("del", 0).ip()).isEqualTo(zero.ip());
    assertThat(rt.exec("del-0", List.of("ls", "/marker"), Duration.ofSeconds(5)).exitCode())
        .isNotZero();

    rt.deleteInstance("del", 1, false);
    await().atMost(WAIT).until(() -> rt.instances("del").size() == 1);
    assertThat(rt.ipam.lookup("del-1")).isEmpty();
    assertThat(rt.ipam.lookup("del-0")).contains(zero.ip());
    // the caller reserves ordinal 1: the next apply keeps it away
    rt.applyApp(AppWorkload.settled("del", 1, Set.of(1), 1, spec(LOOP)));
    await()
        .during(Duration.ofMillis(500))
        .atMost(WAIT)
        .until(() -> rt.instances("del").size() == 1);
    deleteAndAwait("del");
    assertThat(rt.ipam.lookup("del-0")).isEmpty();
  }

  @Test
  void restartKeepsTheFilesystemAndCountsARestart() {
    rt.applyApp(AppWorkload.settled("again", 1, Set.of(), 1, spec(LOOP)));
    awaitRunning("again", 0);
    long pid = containerPid("again-0");
    assertThat(rt.exec("again-0", List.of("touch", "/marker"), Duration.ofSeconds(5)).exitCode())
        .isZero();
    rt.restartInstance("again", 0);
    await()
        .atMost(WAIT)
        .until(
            () ->
                instance("again", 0).restarts() == 1
                    && instance("again", 0).state() == InstanceState.RUNNING);
    await().atMost(WAIT).until(() -> containerPid("again-0") != pid);
    assertThat(rt.exec("again-0", List.of("ls", "/marker"), Duration.ofSeconds(5)).exitCode())
        .isZero();
    deleteAndAwait("again");
  }

  @Test
  void badCommandFailsWithBackoffAndTheSupervisorRecovers() {
    rt.applyApp(
        AppWorkload.settled(
            "bad",
            1,
            Set.of(),
            1,
            spec(
                List.of("/no/such/binary"),
                null,
                null,
                new Lifecycle(List.of(), List.of(), 1, false))));
    await()
        .atMost(WAIT)
        .until(
            () ->
                host.events("bad-0").stream().filter(e -> e.reason().equals("Failed")).count()
                    >= 2);
    assertThat(instance("bad", 0).state())
        .isIn(InstanceState.FAILED, InstanceState.PENDING, InstanceState.RUNNING);
    assertThat(
            host.events("bad-0").stream()
                .filter(e -> e.reason().equals("Failed"))
                .findFirst()
                .orElseThrow()
                .message())
        .contains("no such file");
    rt.applyApp(AppWorkload.settled("bad", 1, Set.of(), 2, spec(LOOP)));
    awaitRunning("bad", 0);
    await()
        .during(Duration.ofMillis(500))
        .atMost(WAIT)
        .until(() -> instance("bad", 0).state() == InstanceState.RUNNING);
    deleteAndAwait("bad");
  }

  @Test
  void unknownImageFailsWithAWarning() {
    rt.applyApp(
        AppWorkload.settled(
            "noimg",
            1,
            Set.of(),
            1,
            new AppSpec("nope:1", LOOP, null, null, null, null, null, null)));
    await().atMost(WAIT).until(() -> instance("noimg", 0).state() == InstanceState.FAILED);
    assertThat(instance("noimg", 0).message()).contains("does not exist");
    deleteAndAwait("noimg");
  }

  @Test
  void reportsThisHostAsOneNode() {
    var nodes = rt.nodes();
    assertThat(nodes).hasSize(1);
    assertThat(nodes.get(0).cluster()).isEqualTo("local");
    assertThat(nodes.get(0).runtimeVersion()).startsWith("runc version");
    assertThat(nodes.get(0).capacity().cpu()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(nodes.get(0).ip()).isEqualTo("10.201.1.1");
  }

  String logText(String id) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (var s = rt.logs(id, LogQuery.ALL)) {
      java.util.Optional<LogLine> line;
      while ((line = s.next(Duration.ZERO)).isPresent()) {
        sb.append(line.get().text()).append('\n');
      }
    }
    return sb.toString();
  }
}
