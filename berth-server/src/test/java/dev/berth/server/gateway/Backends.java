package dev.berth.server.gateway;

import com.sun.net.httpserver.HttpServer;
import dev.berth.core.traffic.Endpoint;
import dev.berth.core.traffic.EndpointState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small HTTP servers on loopback standing in for instances: each answers with its own name and
 * counts what it received (path and body size).
 */
final class Backends implements AutoCloseable {
  record Received(String method, String path, int bodyBytes) {}

  private final List<HttpServer> servers = new ArrayList<>();
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> count = new ConcurrentHashMap<>();

  /** Starts an instance named {@code name} on a free loopback port. */
  Endpoint start(String app, String name) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
      List<Received> log = new CopyOnWriteArrayList<>();
      received.put(name, log);
      count.put(name, new AtomicInteger());
      s.createContext(
          "/",
          x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            log.add(new Received(x.getRequestMethod(), x.getRequestURI().getPath(), body.length));
            count.get(name).incrementAndGet();
            byte[] answer = name.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
          });
      s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
      s.start();
      servers.add(s);
      ports.put(name, s.getAddress().getPort());
      return endpoint(app, name, EndpointState.READY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Endpoint endpoint(String app, String name, EndpointState state) {
    return endpoint(app, name, state, 100);
  }

  /** The instance's endpoint with a weight. */
  Endpoint endpoint(String app, String name, EndpointState state, int weight) {
    int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    return new Endpoint(
        app,
        "default",
        name,
        ordinal,
        "127.0.0.1",
        Map.of("http", ports.get(name)),
        "local",
        1,
        weight,
        state);
  }

  List<Received> received(String name) {
    return received.get(name);
  }

  int count(String name) {
    return count.get(name).get();
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
  }
}
