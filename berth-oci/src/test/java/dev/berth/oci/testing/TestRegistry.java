package dev.berth.oci.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * A real CNCF distribution registry ({@code /usr/bin/docker-registry}, Debian's {@code
 * docker-registry} package) on a free 127.0.0.1 port, with filesystem storage in a temp directory
 * and deletes enabled. {@link #start()} returns once {@code GET /v2/} answers; {@link #close()}
 * kills the process by PID, waits for it and removes the storage. Use one per test class (it starts
 * in about 100 ms).
 *
 * <pre>{@code
 * try (TestRegistry registry = TestRegistry.start()) {
 *   String ref = TestImages.pushBusybox(registry.host() + "/demo/web:1", "hello");
 * }
 * }</pre>
 *
 * <p>When the binary is missing, {@link #start()} throws an {@link IllegalStateException} saying to
 * install {@code docker-registry}. Thread-safe after start.
 */
public final class TestRegistry implements AutoCloseable {
  /** Where Debian installs the registry binary. */
  public static final Path BINARY = Path.of("/usr/bin/docker-registry");

  private final Process process;
  private final Path dir;
  private final int port;
  private final String address;

  private TestRegistry(Process process, Path dir, String address, int port) {
    this.process = process;
    this.dir = dir;
    this.address = address;
    this.port = port;
  }

  /**
   * Starts a registry and waits (at most 20 s) until it serves {@code /v2/}.
   *
   * @throws IllegalStateException the binary is missing or the registry did not come up (the
   *     message includes its log)
   */
  public static TestRegistry start() {
    return start(null, java.util.Map.of(), "127.0.0.1");
  }

  /**
   * Starts a registry listening only on {@code address} (an IPv4 address of this host, e.g. one the
   * test put on a bridge), so that it is reached at {@code address:PORT}.
   */
  public static TestRegistry startOn(String address) {
    return start(null, java.util.Map.of(), address);
  }

  /**
   * Starts a registry that sends its notifications (the CNCF distribution envelope) about manifest
   * pushes and deletes to {@code notifyUrl} with the given headers (e.g. {@code Authorization}),
   * retrying every 200 ms when the endpoint fails. Blob events are not sent.
   */
  public static TestRegistry startNotifying(
      String notifyUrl, java.util.Map<String, String> headers) {
    return start(notifyUrl, headers, "127.0.0.1");
  }

  private static TestRegistry start(
      String notifyUrl, java.util.Map<String, String> headers, String address) {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " is missing: install the registry with 'apt-get install docker-registry'");
    }
    try {
      Path dir = Files.createTempDirectory("berth-registry-");
      int port = freePort();
      Path config = dir.resolve("config.yml");
      Files.writeString(
          config,
          """
          version: 0.1
          log:
            level: warn
            accesslog:
              disabled: true
          storage:
            filesystem:
              rootdirectory: %s
            delete:
              enabled: true
            maintenance:
              uploadpurging:
                enabled: false
          http:
            addr: %s:%d
          """
                  .formatted(dir.resolve("storage"), address, port)
              + notifications(notifyUrl, headers));
      Process process =
          new ProcessBuilder(BINARY.toString(), "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("registry.log").toFile())
              .start();
      TestRegistry registry = new TestRegistry(process, dir, address, port);
      try {
        registry.awaitReady();
      } catch (RuntimeException e) {
        String log = registry.log();
        registry.close();
        throw new IllegalStateException("docker-registry did not start: " + e + "\n" + log, e);
      }
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start docker-registry", e);
    }
  }

  private static String notifications(String url, java.util.Map<String, String> headers) {
    if (url == null) {
      return "";
    }
    StringBuilder yaml = new StringBuilder("notifications:\n  endpoints:\n    - name: berth\n");
    yaml.append("      url: ").append(url).append('\n');
    yaml.append("      timeout: 5s\n      threshold: 3\n      backoff: 200ms\n");
    if (!headers.isEmpty()) {
      yaml.append("      headers:\n");
      headers.forEach(
          (k, v) -> yaml.append("        ").append(k).append(": [\"").append(v).append("\"]\n"));
    }
    yaml.append("      ignoredmediatypes:\n        - application/octet-stream\n");
    return yaml.toString();
  }

  private void awaitReady() {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      HttpRequest ping =
          HttpRequest.newBuilder(URI.create(url() + "/v2/"))
              .version(HttpClient.Version.HTTP_1_1)
              .timeout(Duration.ofSeconds(2))
              .build();
      await("docker-registry on " + host())
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException("exited with " + process.exitValue());
                }
                try {
                  return http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode()
                      == 200;
                } catch (IOException e) {
                  return false;
                }
              });
    }
  }

  /**
   * {@code 127.0.0.1:PORT} (or the address it was started on), the registry part of image
   * references.
   */
  public String host() {
    return address + ":" + port;
  }

  /** {@code http://} and {@link #host()}. */
  public String url() {
    return "http://" + host();
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** The registry's storage directory (to inspect or corrupt content). */
  public Path storage() {
    return dir.resolve("storage");
  }

  /** What the registry logged so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Kills the registry by PID (TERM, then KILL after 5 s), waits for it, deletes its storage. */
  @Override
  public void close() {
    ProcessHandle handle = process.toHandle();
    handle.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        handle.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp dir is harmless
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
