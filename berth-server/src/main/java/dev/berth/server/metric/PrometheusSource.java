package dev.berth.server.metric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.MetricsUnavailableException;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A Prometheus server as a {@link MetricSource}, asked through its HTTP API ({@code /api/v1/query}
 * for the newest values, {@code /api/v1/query_range} for history) with the PromQL selector {@code
 * metric{label="value",…}}. Prometheus down, slow or answering 5xx is {@link
 * MetricsUnavailableException}; a selector it refuses is {@link IllegalArgumentException}.
 * Thread-safe.
 */
public final class PrometheusSource implements MetricSource {
  private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  public PrometheusSource(URI base, HttpClient http, Duration timeout) {
    this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
    this.http = http;
    this.timeout = timeout;
  }

  /** The PromQL selector of {@code metric} with every {@code match} pair as an equality. */
  static String selector(String metric, Map<String, String> match) {
    if (metric == null || !METRIC.matcher(metric).matches()) {
      throw new IllegalArgumentException(
          "metric must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), was " + metric);
    }
    StringBuilder b = new StringBuilder(metric);
    if (match != null && !match.isEmpty()) {
      b.append('{');
      Iterator<Map.Entry<String, String>> it = new TreeMap<>(match).entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, String> e = it.next();
        if (!LABEL.matcher(e.getKey()).matches()) {
          throw new IllegalArgumentException("label name " + e.getKey() + " is not valid");
        }
        b.append(e.getKey()).append("=\"");
        b.append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"));
        b.append('"');
        if (it.hasNext()) {
          b.append(',');
        }
      }
      b.append('}');
    }
    return b.toString();
  }

  @Override
  public List<Sample> latest(String metric, Map<String, String> match) {
    JsonNode data = get("api/v1/query?query=" + encode(selector(metric, match)));
    List<Sample> out = new ArrayList<>();
    for (JsonNode r : data.path("result")) {
      JsonNode v = r.path("value");
      out.add(new Sample(metric, labels(r.path("metric")), value(v.get(1)), time(v.get(0))));
    }
    return out;
  }

  @Override
  public List<Series> range(
      String metric, Map<String, String> match, Instant from, Instant to, Duration step) {
    EmbeddedMetricStore.checkRange(from, to, step);
    JsonNode data =
        get(
            "api/v1/query_range?query="
                + encode(selector(metric, match))
                + "&start="
                + seconds(from)
                + "&end="
                + seconds(to)
                + "&step="
                + step.toMillis() / 1000.0);
    List<Series> out = new ArrayList<>();
    for (JsonNode r : data.path("result")) {
      List<Series.Point> points = new ArrayList<>();
      for (JsonNode v : r.path("values")) {
        points.add(new Series.Point(time(v.get(0)), value(v.get(1))));
      }
      out.add(new Series(metric, labels(r.path("metric")), points));
    }
    return out;
  }

  /** What went wrong, in words: the JDK's connection errors often carry no message. */
  private String why(IOException e) {
    if (e instanceof java.net.http.HttpConnectTimeoutException
        || e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within " + timeout.toMillis() + " ms";
    }
    if (e instanceof java.net.ConnectException) {
      return e.getMessage() == null ? "connection refused" : e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private JsonNode get(String pathAndQuery) {
    URI uri = base.resolve(pathAndQuery);
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new MetricsUnavailableException(
          "Prometheus at " + base + " cannot be reached: " + why(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricsUnavailableException("interrupted while asking Prometheus at " + base, e);
    }
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (IOException e) {
      throw new MetricsUnavailableException(
          "Prometheus at " + base + " answered " + response.statusCode() + " without JSON", e);
    }
    if (response.statusCode() == 400 || response.statusCode() == 422) {
      throw new IllegalArgumentException(
          "Prometheus refused the query: " + body.path("error").asText());
    }
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new MetricsUnavailableException(
          "Prometheus at "
              + base
              + " answered "
              + response.statusCode()
              + ": "
              + body.path("error").asText(),
          null);
    }
    return body.path("data");
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> out = new LinkedHashMap<>();
    metric
        .properties()
        .forEach(
            e -> {
              if (!e.getKey().equals("__name__")) {
                out.put(e.getKey(), e.getValue().asText());
              }
            });
    return out;
  }

  private static double value(JsonNode v) {
    return Double.parseDouble(v.asText());
  }

  private static Instant time(JsonNode v) {
    return Instant.ofEpochMilli(Math.round(v.asDouble() * 1000));
  }

  private static String seconds(Instant t) {
    return String.valueOf(t.toEpochMilli() / 1000.0);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
