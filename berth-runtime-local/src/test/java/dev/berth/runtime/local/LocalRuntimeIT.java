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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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

  static AppSpec spec(List<String> command, Resources resources, Health health, Lifecycle lifecycle) {
    return new AppSpec("busybox:1", command, List.of(), Map.of("MODE", "test"), List.of(new PortSpec("http", 8080, null)), resources, health, lifecycle);
  }

  static AppSpec spec(List<String> command) {
    return spec(command, null, null, new Lifecycle(List.of(), List.of(), 2, true));
  }

  Instance instance(String app, int ordinal) {
    return rt.instances(app).stream().filter(i -> i.ordinal() == ordinal).findFirst().orElseThrow();
  }

  Instance awaitRunning(String app, int ordinal) {
    await().atMost(WAIT).until(() -> rt.instances(app).stream().anyMatch(i -> i.ordinal() == ordinal && i.state() == InstanceState.RUNNING && i.ready()));
    return instance(app, ordinal);
  }

  void deleteAndAwait(String app) {
    rt.deleteApp(app);
    await().atMost(WAIT).until(() -> rt.instances(app).isEmpty());
  }

  static String get(String url) throws Exception {
    try (HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(2)).build()) {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  long containerPid(String id) {
    Runc runc = new Runc("runc", host.config.runcRoot());
    return await().atMost(WAIT).until(() -> runc.state(id).filter(Runc.State::running).map(Runc.State::pid).orElse(0L), pid -> pid > 0);
  }

  @Test
  void servesHttpFromTwoInstancesOnDistinctFixedIps() throws Exception {
    rt.applyApp(AppWorkload.settled("web", 2, Set.of(), 1, spec(HTTPD)));
    Instance a = awaitRunning("web", 0);
    Instance b = awaitRunning("web", 1);
    assertThat(a.ip()).isNotEqualTo(b.ip()).startsWith("10.201.1.");
    assertThat(b.ip()).startsWith("10.201.1.");
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(get("http://" + a.ip() + ":8080/")).contains("hello from berth"));
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(get("http://" + b.ip() + ":8080/")).contains("hello from berth"));
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
    await().atMost(WAIT).until(() -> instance("crash", 0).restarts() == 1 && instance("crash", 0).state() == InstanceState.RUNNING);
    Instance after = instance("crash", 0);
    assertThat(after.ip()).isEqualTo(before.ip());
    assertThat(after.lastExit().reason()).isEqualTo(ExitReason.KILLED);
    assertThat(host.reasons("crash-0")).contains("Exited", "Restarted");
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(get("http://" + after.ip() + ":8080/")).contains("hello"));
    deleteAndAwait("crash");
  }

  @Test
  void reportsOomKillOfMemoryHog() {
    Resources small = new Resources(0.1, 1, 16, CpuPolicy.SHARES, 0);
    rt.applyApp(AppWorkload.settled("hog", 1, Set.of(), 1,
        spec(List.of("sh", "-c", "x=a; while true; do x=$x$x; done"), small, null, new Lifecycle(List.of(), List.of(), 2, true))));
    await().atMost(WAIT).until(() -> host.reasons("hog-0").contains("OOMKilled"));
    await().atMost(WAIT).until(() -> instance("hog", 0).lastExit() != null);
    assertThat(instance("hog", 0).lastExit().reason()).isEqualTo(ExitReason.OOM);
    deleteAndAwait("hog");
  }
}
