package dev.berth.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.BerthApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Berth server for integration tests: the whole Spring application on a free loopback port,
 * with the embedded local cluster on its own bridge, subnet and cgroup parent so that test classes
 * do not meet. Can be stopped and started again on the same data directory (a Berth restart).
 */
public final class BerthServer implements AutoCloseable {
  public static final String TOKEN = "berth_integration_test_token_0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dataDir;
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private final java.util.List<Class<?>> sources =
      new java.util.ArrayList<>(java.util.List.of(BerthApplication.class));
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ConfigurableApplicationContext context;
  private int port;

  /**
   * @param bridge a bridge name unique to the test class (at most 15 characters)
   * @param subnet a /24 unique to the test class, e.g. 10.202.1.0/24
   */
  public BerthServer(Path dataDir, String bridge, String subnet, String cgroupParent) {
    this.dataDir = dataDir;
    properties.put("berth.data-dir", dataDir.toString());
    properties.put("berth.admin-token", TOKEN);
    properties.put("berth.admin-password", "integration-test-password");
    properties.put("berth.local.bridge", bridge);
    properties.put("berth.local.subnet", subnet);
    properties.put("berth.local.cgroup-parent", cgroupParent);
    properties.put("server.port", "0");
    // Instances a release replaces wait this long out of traffic before they stop; the drain's
    // timing is tested on a moved clock, and the gateway test sets the real default.
    properties.put("berth.traffic.drain-timeout", "1s");
  }

  public BerthServer with(String key, Object value) {
    properties.put(key, value);
    return this;
  }

  /**
   * Adds a class of {@code @Bean} methods whose beans replace the server's of the same name (a test
   * double for one part, e.g. the cluster registry). Not annotated, so component scanning never
   * finds it.
   */
  public BerthServer withBeans(Class<?> source) {
    sources.add(source);
    properties.put("spring.main.allow-bean-definition-overriding", "true");
    return this;
  }

  /** Uses the database at {@code jdbcUrl} instead of the data directory's H2 file. */
  public BerthServer withDatabase(String jdbcUrl, String username, String password) {
    properties.put("spring.datasource.url", jdbcUrl);
    properties.put("spring.datasource.username", username);
    properties.put("spring.datasource.password", password);
    return this;
  }

  public BerthServer start() {
    // Command-line arguments outrank application.yml (default properties would not).
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    context = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).run(args);
    port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return this;
  }

  public void stop() {
    if (context != null) {
      context.close();
      context = null;
    }
  }

  public String cgroupParent() {
    return (String) properties.get("berth.local.cgroup-parent");
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The embedded web server, e.g. to expire Tomcat's sessions the way its timeout would. */
  public org.springframework.boot.web.server.WebServer webServer() {
    return ((WebServerApplicationContext) context).getWebServer();
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public <T> T bean(String name, Class<T> type) {
    return context.getBean(name, type);
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The server's address without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * For test classes outside this package: deletes every app (waiting until they are gone), stops
   * the server, then removes the local cluster's containers, mounts, bridge and data directory.
   */
  public void closeAndCleanUp(String bridge) {
    try {
      if (context != null) {
        Cleanup.deleteAllApps(this);
      }
    } finally {
      close();
      Cleanup.local(dataDir, bridge, cgroupParent());
    }
  }

  public HttpResponse<String> call(String method, String path, String body) {
    return call(method, path, body, TOKEN);
  }

  public HttpResponse<String> call(String method, String path, String body, String token) {
    return call(method, path, body, token, "application/json");
  }

  /** A JSON merge patch (RFC 7396), as a client changes single fields. */
  public HttpResponse<String> patch(String path, String body, String token) {
    return call("PATCH", path, body, token, "application/merge-patch+json");
  }

  public HttpResponse<String> call(
      String method, String path, String body, String token, String contentType) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public JsonNode get(String path) {
    HttpResponse<String> r = call("GET", path, null);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return json(r.body());
  }

  public HttpClient http() {
    return http;
  }

  public static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
