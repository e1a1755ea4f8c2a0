package dev.berth.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP front for a real registry, for tests: demands basic or bearer auth (issuing tokens
 * at its own {@code /token} realm after checking basic credentials), can corrupt blobs, redirect
 * blob downloads to the registry itself, or fail every request with a status; otherwise it proxies
 * to the registry, rewriting upload {@code Location}s to point back at itself. Records the
 * requests.
 */
public final class RegistryFront implements AutoCloseable {
  /** What the front demands. */
  public enum Auth {
    NONE,
    BASIC,
    BEARER
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String upstream;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  public final List<String> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger tokenRequests = new AtomicInteger();
  public volatile Auth auth = Auth.NONE;
  volatile String user = "berth";
  public volatile String password = "s3cret";
  volatile int tokenLifetimeSeconds = 300;
  public volatile boolean corruptBlobs;
  volatile boolean redirectBlobs;
  volatile int failWith;

  /** Answer this many of the next requests with {@link #failNextWith} (then behave). */
  public final AtomicInteger failNext = new AtomicInteger();

  public volatile int failNextWith = 503;

  /**
   * Answer this many of the next blob upload requests (POST/PATCH/PUT under /blobs/uploads) with
   * {@link #failNextWith}.
   */
  public final AtomicInteger failNextUploads = new AtomicInteger();

  /**
   * When not 0, every blob upload request (POST/PATCH/PUT under /blobs/uploads) gets this status.
   */
  public volatile int failUploadsWith;

  public RegistryFront(String upstreamHost) throws IOException {
    this.upstream = upstreamHost;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public long count(String prefix) {
    return requests.stream().filter(r -> r.startsWith(prefix)).count();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      String query = ex.getRequestURI().getRawQuery();
      requests.add(ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
      if (path.equals("/token")) {
        token(ex);
        return;
      }
      if (failWith != 0) {
        ex.sendResponseHeaders(failWith, -1);
        return;
      }
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        ex.sendResponseHeaders(failNextWith, -1);
        return;
      }
      if (path.contains("/blobs/uploads")
          && failNextUploads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        ex.sendResponseHeaders(failNextWith, -1);
        return;
      }
      if (failUploadsWith != 0 && path.contains("/blobs/uploads")) {
        byte[] body =
            "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"no space left on device\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(failUploadsWith, body.length);
        ex.getResponseBody().write(body);
        return;
      }
      if (!authorised(ex, path)) {
        return;
      }
      if (redirectBlobs && ex.getRequestMethod().equals("GET") && path.contains("/blobs/sha256:")) {
        ex.getResponseHeaders().set("Location", "http://" + upstream + path);
        ex.sendResponseHeaders(307, -1);
        return;
      }
      if (path.endsWith("/tags/list") && query != null) {
        pagedTags(ex, path, query);
        return;
      }
      proxy(ex, path, query);
    }
  }

  /** Distribution 2.8 ignores {@code n} for tags, so the front pages them itself (sorted). */
  private void pagedTags(HttpExchange ex, String path, String query) throws IOException {
    Map<String, String> params = new HashMap<>();
    for (String kv : query.split("&")) {
      String[] p = kv.split("=", 2);
      params.put(p[0], p.length > 1 ? p[1] : "");
    }
    HttpResponse<byte[]> all;
    try {
      all =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + upstream + path)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    if (all.statusCode() != 200) {
      ex.sendResponseHeaders(all.statusCode(), all.body().length == 0 ? -1 : all.body().length);
      ex.getResponseBody().write(all.body());
      return;
    }
    JsonNode json = JSON.readTree(all.body());
    List<String> tags = new ArrayList<>();
    json.path("tags").forEach(t -> tags.add(t.asText()));
    Collections.sort(tags);
    int n = Integer.parseInt(params.getOrDefault("n", "100"));
    String last = params.get("last");
    List<String> page =
        tags.stream().filter(t -> last == null || t.compareTo(last) > 0).limit(n).toList();
    if (!page.isEmpty() && tags.indexOf(page.getLast()) < tags.size() - 1) {
      ex.getResponseHeaders()
          .set("Link", "<" + path + "?n=" + n + "&last=" + page.getLast() + ">; rel=\"next\"");
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("name", json.path("name").asText());
    page.forEach(out.putArray("tags")::add);
    byte[] body = JSON.writeValueAsBytes(out);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
  }

  private boolean authorised(HttpExchange ex, String path) throws IOException {
    String given = ex.getRequestHeaders().getFirst("Authorization");
    switch (auth) {
      case NONE -> {
        return true;
      }
      case BASIC -> {
        if (basic().equals(given)) {
          return true;
        }
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"front\"");
      }
      case BEARER -> {
        if (given != null && given.startsWith("Bearer ") && tokens.contains(given.substring(7))) {
          return true;
        }
        ex.getResponseHeaders()
            .set(
                "WWW-Authenticate",
                "Bearer realm=\"http://"
                    + host()
                    + "/token\",service=\"front\",scope=\""
                    + scope(ex, path)
                    + "\"");
      }
    }
    byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(401, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
    if (!ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseBody().write(body);
    }
    return false;
  }

  private static String scope(HttpExchange ex, String path) {
    if (path.startsWith("/v2/_catalog")) {
      return "registry:catalog:*";
    }
    String repo = path.replaceFirst("^/v2/", "").replaceFirst("/(manifests|blobs|tags)/.*$", "");
    boolean read = ex.getRequestMethod().equals("GET") || ex.getRequestMethod().equals("HEAD");
    return "repository:" + repo + (read ? ":pull" : ":pull,push");
  }

  private void token(HttpExchange ex) throws IOException {
    tokenRequests.incrementAndGet();
    if (!basic().equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      ex.sendResponseHeaders(401, -1);
      return;
    }
    String token = UUID.randomUUID().toString();
    tokens.add(token);
    byte[] body =
        ("{\"token\":\"" + token + "\",\"expires_in\":" + tokenLifetimeSeconds + "}")
            .getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
  }

  private String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private void proxy(HttpExchange ex, String path, String query) throws IOException {
    String method = ex.getRequestMethod();
    byte[] requestBody = ex.getRequestBody().readAllBytes();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://" + upstream + path + (query == null ? "" : "?" + query)))
            .method(
                method,
                requestBody.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(requestBody));
    for (String header : List.of("Accept", "Content-Type", "Content-Range")) {
      String value = ex.getRequestHeaders().getFirst(header);
      if (value != null) {
        request.header(header, value);
      }
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              String n = name.toLowerCase();
              if (n.equals("content-length")
                  || n.equals("transfer-encoding")
                  || n.equals("connection")
                  || n.equals("date")
                  || n.equals(":status")) {
                return;
              }
              for (String v : values) {
                ex.getResponseHeaders()
                    .add(name, v.replace("http://" + upstream, "http://" + host()));
              }
            });
    try (InputStream in = response.body()) {
      int status = response.statusCode();
      if (method.equals("HEAD") || status == 204 || status == 304) {
        ex.sendResponseHeaders(status, -1);
        return;
      }
      byte[] body = in.readAllBytes();
      if (corruptBlobs
          && method.equals("GET")
          && path.contains("/blobs/sha256:")
          && status == 200
          && body.length > 0) {
        body[body.length / 2] ^= 0x01;
      }
      ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    http.close();
  }
}
