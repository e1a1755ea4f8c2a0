package dev.berth.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} and {@code prometheus-node-exporter} started by a test on free
 * loopback ports with generated configuration, in a temporary directory, and stopped by their PID
 * (never the system services).
 */
public final class PrometheusProcesses {
  private PrometheusProcesses() {}

  /** A started process with its loopback port. */
  public record Running(String name, Process process, int port, Path dir) implements AutoCloseable {
    public URI url() {
      return URI.create("http://127.0.0.1:" + port);
    }

    /** SIGTERM to the PID, then SIGKILL if it has not ended after 10 s. */
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** node-exporter with its default collectors on a free loopback port. */
  public static Running nodeExporter() throws IOException {
    int port = freePort();
    Path dir = Files.createTempDirectory("node-exporter-");
    return start(
        "node-exporter",
        port,
        dir,
        List.of("/usr/bin/prometheus-node-exporter", "--web.listen-address=127.0.0.1:" + port),
        "/metrics");
  }

  /**
   * Prometheus on {@code port} scraping every second: job {@code berth} (Berth's {@code
   * /actuator/prometheus} with a bearer token, {@code honor_labels} so Berth's {@code instance}
   * label stays) and job {@code node} (node-exporter).
   */
  public static Running prometheus(int port, URI berth, String token, URI nodeExporter)
      throws IOException {
    Path dir = Files.createTempDirectory("prometheus-");
    String config =
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: berth
            metrics_path: /actuator/prometheus
            honor_labels: true
            authorization:
              credentials: "%s"
            static_configs:
              - targets: ["%s"]
          - job_name: node
            static_configs:
              - targets: ["%s"]
        """
            .formatted(token, berth.getAuthority(), nodeExporter.getAuthority());
    Files.writeString(dir.resolve("prometheus.yml"), config);
    return start(
        "prometheus",
        port,
        dir,
        List.of(
            "/usr/bin/prometheus",
            "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port),
        "/-/ready");
  }

  private static Running start(String name, int port, Path dir, List<String> cmd, String ready)
      throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    Running r = new Running(name, p, port, dir);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant until = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(until)) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            name + " ended at start: " + Files.readString(dir.resolve(name + ".log")));
      }
      try {
        HttpResponse<Void> res =
            http.send(
                HttpRequest.newBuilder(r.url().resolve(ready)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() == 200) {
          return r;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      p.onExit().completeOnTimeout(null, 200, TimeUnit.MILLISECONDS).join();
    }
    r.close();
    throw new IllegalStateException(name + " did not become ready on port " + port);
  }
}
