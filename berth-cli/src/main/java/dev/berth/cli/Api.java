package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The REST API of one Berth server with one token. Every failure is a {@link CliException} with one
 * line: the problem+json of an error answer, or why the server could not be reached.
 */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT = Duration.ofSeconds(10);
  private static final Duration ANSWER = Duration.ofMinutes(2);

  private final Target target;
  private final HttpClient http;

  Api(Target target) {
    this.target = target;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT).build();
  }

  String server() {
    return target.server();
  }

  String token() {
    return target.token();
  }

  JsonNode get(String path) {
    return json(send(request(path).GET().build()));
  }

  JsonNode post(String path, Object body) {
    return json(send(withBody(request(path), "POST", body, "application/json").build()));
  }

  JsonNode put(String path, Object body, long ifMatch) {
    HttpRequest.Builder b = withBody(request(path), "PUT", body, "application/json");
    return json(send(b.header("If-Match", "\"" + ifMatch + "\"").build()));
  }

  JsonNode delete(String path) {
    return json(send(request(path).DELETE().build()));
  }

  /** GET that answers 404 as empty instead of failing. */
  java.util.Optional<JsonNode> find(String path) {
    HttpResponse<String> r = exchange(request(path).GET().build());
    if (r.statusCode() == 404) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(json(check(r)));
  }

  /** A streaming answer (logs, server-sent events), open until the server ends it. */
  InputStream stream(String path) {
    HttpRequest r = HttpRequest.newBuilder(uri(path)).header("Authorization", bearer()).build();
    HttpResponse<InputStream> answer = exchange(r, HttpResponse.BodyHandlers.ofInputStream());
    if (answer.statusCode() >= 400) {
      try (InputStream in = answer.body()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        throw new CliException(Problems.line(answer.statusCode(), body, target.server()));
      } catch (IOException e) {
        throw new CliException("the answer of " + target.server() + " broke off: " + e);
      }
    }
    return answer.body();
  }

  static String query(Map<String, ?> params) {
    String q =
        params.entrySet().stream()
            .filter(e -> e.getValue() != null)
            .map(
                e ->
                    e.getKey()
                        + "="
                        + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return q.isEmpty() ? "" : "?" + q;
  }

  static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(ANSWER)
        .header("Authorization", bearer())
        .header("Accept", "application/json");
  }

  private String bearer() {
    return "Bearer " + target.token();
  }

  private URI uri(String path) {
    try {
      return URI.create(target.server() + path);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          "the server URL '" + target.server() + "' is not a URL: " + e.getMessage());
    }
  }

  private static HttpRequest.Builder withBody(
      HttpRequest.Builder b, String method, Object body, String type) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(body);
      return b.header("Content-Type", type)
          .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
    } catch (IOException e) {
      throw new CliException("cannot write the request: " + e.getMessage());
    }
  }

  private String send(HttpRequest r) {
    return check(exchange(r));
  }

  private String check(HttpResponse<String> r) {
    if (r.statusCode() >= 400) {
      throw new CliException(Problems.line(r.statusCode(), r.body(), target.server()));
    }
    return r.body();
  }

  private HttpResponse<String> exchange(HttpRequest r) {
    return exchange(r, HttpResponse.BodyHandlers.ofString());
  }

  private <T> HttpResponse<T> exchange(HttpRequest r, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(r, handler);
    } catch (ConnectException e) {
      throw new CliException(
          "cannot reach Berth at " + target.server() + ": connection refused (is it running?)");
    } catch (HttpTimeoutException e) {
      throw new CliException("Berth at " + target.server() + " did not answer in time");
    } catch (IOException e) {
      throw new CliException("cannot reach Berth at " + target.server() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", 130);
    }
  }

  private static JsonNode json(String body) {
    if (body == null || body.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new CliException("the server's answer is not JSON: " + Contexts.oneLine(body));
    }
  }
}
