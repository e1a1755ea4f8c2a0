package dev.berth.server.gateway;

import dev.berth.core.app.Route;
import dev.berth.core.testing.RecordingEvents;
import dev.berth.core.time.ManualScheduler;
import dev.berth.server.gateway.NginxConfig.AppRoute;
import dev.berth.server.gateway.NginxConfig.MirrorRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real nginx driven by a {@link Gateway} on a free loopback port, with routes, mirrors and
 * endpoints the test sets, and the time the test moves. Closing it stops nginx by its pid.
 */
final class NginxFixture implements AutoCloseable {
  final Path dir;
  final int port;
  final ManualScheduler time = new ManualScheduler();
  final RecordingEvents events = new RecordingEvents();
  final TestEndpoints endpoints = new TestEndpoints();
  final List<AppRoute> routes = new CopyOnWriteArrayList<>();
  final List<MirrorRule> mirrors = new CopyOnWriteArrayList<>();
  private final List<Gateway> gateways = new CopyOnWriteArrayList<>();

  NginxFixture() {
    try {
      // Inside a private (0700) directory, as Berth's data directory is.
      dir = Files.createTempDirectory("berth-gateway-").resolve("gateway");
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GatewayProperties settings(Path dir, int port) {
    return new GatewayProperties(
        true,
        "managed",
        port,
        "127.0.0.1",
        dir,
        "/usr/sbin/nginx",
        "/usr/lib/nginx/modules",
        List.of("nginx", "-t"),
        List.of("nginx", "-s", "reload"),
        Duration.ofMillis(200),
        Duration.ofSeconds(1),
        1,
        Duration.ZERO);
  }

  void route(String app, String host, String path) {
    routes.add(new AppRoute(app, new Route(host, path, "http")));
  }

  /** A Gateway as a (re)started Berth makes it, started. */
  Gateway startGateway() {
    GatewayProperties s = settings(dir, port);
    Gateway g =
        new Gateway(
            s,
            new NginxConfig.Layout(dir, "127.0.0.1", port, s.modules(), 1),
            new Gateway.Sources(() -> List.copyOf(routes), () -> List.copyOf(mirrors), endpoints),
            time,
            events);
    gateways.add(g);
    g.start();
    return g;
  }

  /** An answer through the gateway: status and body. */
  record Answer(int status, String body) {}

  /** GET {@code path} with {@code Host: host} (which java.net.http will not set) over HTTP/1.0. */
  Answer get(String host, String path) {
    return request("GET", host, path, "");
  }

  Answer request(String method, String host, String path, String body) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      String head =
          method
              + " "
              + path
              + " HTTP/1.0\r\nHost: "
              + host
              + "\r\nContent-Length: "
              + content.length
              + "\r\n\r\n";
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(content);
      String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      int end = text.indexOf("\r\n\r\n");
      return new Answer(status, end < 0 ? "" : text.substring(end + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long masterPid() {
    try {
      return Long.parseLong(Files.readString(dir.resolve("nginx.pid")).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills nginx's master and workers with SIGKILL, as a crash or the OOM killer would. */
  void killNginx() {
    ProcessHandle.of(masterPid())
        .ifPresent(
            m -> {
              List<ProcessHandle> workers = m.children().toList();
              m.destroyForcibly();
              workers.forEach(ProcessHandle::destroyForcibly);
              m.onExit().join();
              workers.forEach(w -> w.onExit().join());
            });
  }

  @Override
  public void close() {
    gateways.forEach(Gateway::close);
    if (Files.exists(dir.resolve("nginx.pid"))) {
      killNginx();
    }
  }
}
