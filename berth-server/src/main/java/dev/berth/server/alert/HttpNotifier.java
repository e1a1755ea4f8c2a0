package dev.berth.server.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.alert.Receiver;
import dev.berth.core.outbound.OutboundPolicy;
import dev.berth.server.task.HttpCallbackSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Posts to webhooks (the body in the receiver's format, signed like task callbacks with {@code
 * X-Berth-Signature: sha256=<hex HMAC>}) and to Alertmanager's v2 API ({@code POST
 * /api/v2/alerts}). Before each post the host is checked against the {@link OutboundPolicy} as it
 * resolves at that moment. No redirects are followed.
 */
final class HttpNotifier implements Notifier {
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final ObjectMapper json;
  private final OutboundPolicy outbound;
  private final OutboundPolicy.Resolver resolver;
  private final InstantSource clock;

  HttpNotifier(
      ObjectMapper json,
      OutboundPolicy outbound,
      OutboundPolicy.Resolver resolver,
      InstantSource clock) {
    this.json = json;
    this.outbound = outbound;
    this.resolver = resolver;
    this.clock = clock;
  }

  @Override
  public String send(Receiver r, String secret, NotificationJson n, String generic)
      throws NotifyException {
    String url = r.url();
    String body;
    if (r.type() == Receiver.Type.ALERTMANAGER) {
      url = url.replaceAll("/+$", "") + "/api/v2/alerts";
      body = alertmanagerBody(r, n);
    } else {
      body = WebhookBodies.body(json, r.format(), n, generic);
    }
    Optional<String> refused = outbound.refuseAtSend(url, resolver);
    if (refused.isPresent()) {
      throw new NotifyException("not sent: " + refused.get(), false);
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("User-Agent", "Berth")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (secret != null) {
      req.header("X-Berth-Signature", "sha256=" + HttpCallbackSender.sign(secret, body));
    }
    int code;
    try {
      code = http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new NotifyException(
          "failed: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()),
          true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotifyException("failed: interrupted", true);
    }
    if (code < 200 || code >= 300) {
      throw new NotifyException("failed: receiver answered " + code, code >= 500 || code == 429);
    }
    return "delivered: " + code;
  }

  /**
   * Alertmanager's alert list: labels, the summary as an annotation, {@code startsAt}, and {@code
   * endsAt} — the resolution time, or for a firing alert a time past the next repeat, so
   * Alertmanager keeps it firing until Berth sends it again or resolves it.
   */
  private String alertmanagerBody(Receiver r, NotificationJson n) {
    ArrayNode list = json.createArrayNode();
    for (NotificationJson.AlertItem a : n.alerts()) {
      ObjectNode o = list.addObject();
      ObjectNode labels = o.putObject("labels");
      a.labels().forEach(labels::put);
      o.putObject("annotations").put("summary", a.summary());
      o.put("startsAt", a.startsAt().toString());
      o.put(
          "endsAt",
          a.endsAt() != null
              ? a.endsAt().toString()
              : clock.instant().plus(r.repeat()).plus(Duration.ofHours(1)).toString());
    }
    return list.toString();
  }
}
