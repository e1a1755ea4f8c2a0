package dev.berth.server.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A webhook receiver on loopback for tests: records each posted body with its signature header.
 * {@link #hanging()} makes one that accepts requests and never answers (a dead receiver).
 */
public final class Hooks implements AutoCloseable {
  /** One received post. */
  public record Post(String path, String signature, String body) {}

  public final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
  private final HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  private Hooks(boolean hang) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          posts.add(
              new Post(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("X-Berth-Signature"),
                  body));
          if (hang) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  public static Hooks start() throws IOException {
    return new Hooks(false);
  }

  public static Hooks hanging() throws IOException {
    return new Hooks(true);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
