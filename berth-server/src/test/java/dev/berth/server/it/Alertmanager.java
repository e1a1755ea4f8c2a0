package dev.berth.server.it;

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
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Debian's {@code prometheus-alertmanager} on a free loopback port with a config of one receiver
 * that sends nowhere, clustering off; stopped by its process.
 */
final class Alertmanager implements AutoCloseable {
  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private Alertmanager(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static Alertmanager start(Path log) throws IOException {
    Path dir = Files.createTempDirectory("berth-alertmanager");
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(
        config,
        """
        route:
          receiver: nowhere
        receivers:
          - name: nowhere
        """);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                "/usr/bin/prometheus-alertmanager",
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(new File("/dev/null"))
            .start();
    Alertmanager am = new Alertmanager(p, port);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> am.get("/-/ready").statusCode() == 200);
    } catch (RuntimeException e) {
      am.close();
      throw e;
    }
    return am;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
