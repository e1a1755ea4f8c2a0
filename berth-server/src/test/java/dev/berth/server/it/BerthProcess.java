package dev.berth.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Berth in a child JVM (the test's own classpath), so that a test can kill it with SIGKILL and
 * start it again on the same data directory, as an operator's crash would.
 */
final class BerthProcess implements AutoCloseable {
  private final Path dataDir;
  private final String bridge;
  private final String cgroupParent;
  private final List<String> args;
  private final List<String> extra = new ArrayList<>();
  private final Path log;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;

  BerthProcess(Path dataDir, String bridge, String subnet, String cgroupParent, Path log)
      throws IOException {
    this.dataDir = dataDir;
    this.bridge = bridge;
    this.cgroupParent = cgroupParent;
    this.log = log;
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
    this.args =
        new ArrayList<>(
            List.of(
                "--berth.data-dir=" + dataDir,
                "--berth.admin-token=" + BerthServer.TOKEN,
                "--berth.admin-password=integration-test-password",
                "--berth.local.bridge=" + bridge,
                "--berth.local.subnet=" + subnet,
                "--berth.local.cgroup-parent=" + cgroupParent,
                "--server.port=" + port,
                // as BerthServer: a drain's timing is tested on a moved clock
                "--berth.traffic.drain-timeout=1s"));
  }

  /**
   * Berth for the test class numbered {@code n}: bridge {@code berthit<n>}, subnet {@code
   * 10.203.<n>.0/24}, cgroup parent {@code berth-it<n>}, a fresh data directory, its output in
   * {@code target/berth-<name>-it.log}. Not started yet.
   */
  static BerthProcess forClass(int n, String name) throws IOException {
    return new BerthProcess(
        Files.createTempDirectory("berth-it-" + name),
        "berthit" + n,
        "10.203." + n + ".0/24",
        "berth-it" + n,
        Path.of("target", "berth-" + name + "-it.log").toAbsolutePath());
  }

  /**
   * Deletes the named apps while Berth still answers and waits until they are gone, stops Berth,
   * then removes what its local cluster left: containers, mounts, bridge, cgroups, data.
   */
  void closeAndClean(String... apps) throws InterruptedException {
    for (String app : apps) {
      try {
        call("DELETE", "/api/v1/apps/" + app + "?confirm=" + app, null);
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(() -> call("GET", "/api/v1/apps/" + app, null).statusCode() == 404);
      } catch (IOException | org.awaitility.core.ConditionTimeoutException notRunning) {
        // Berth is down after a failed assertion; the cleanup below removes what is left
      }
    }
    close();
    Cleanup.local(dataDir, bridge, cgroupParent);
  }

  /** Adds a setting ({@code --key=value}) for every later start. */
  BerthProcess with(String key, String value) {
    args.add("--" + key + "=" + value);
    return this;
  }

  /** One more setting for every start, e.g. {@code --berth.autoscale.interval=1s}. */
  BerthProcess with(String setting) {
    extra.add(setting);
    return this;
  }

  BerthProcess start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // What the executable jar's manifest (Enable-Native-Access) grants the local runtime's native
    // calls.
    command.add("--enable-native-access=ALL-UNNAMED");
    // A test's Berth lives for seconds: the quick compiler and one GC thread start it sooner on
    // two shared cores.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.berth.server.BerthApplication");
    command.addAll(args);
    command.addAll(extra);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(new File("/dev/null"))
            .start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> process.isAlive() && call("GET", "/api/v1/clusters", null).statusCode() == 200);
    return this;
  }

  /** SIGKILL: no shutdown hook, no graceful stop, exactly a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  Path dataDir() {
    return dataDir;
  }

  /** Where this Berth answers, e.g. {@code http://127.0.0.1:41234}. */
  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  HttpResponse<String> call(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + BerthServer.TOKEN);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(
        b.method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = call("GET", path, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return BerthServer.json(r.body());
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
