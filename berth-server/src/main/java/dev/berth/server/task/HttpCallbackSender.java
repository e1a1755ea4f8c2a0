package dev.berth.server.task;

import dev.berth.core.outbound.OutboundPolicy;
import dev.berth.core.task.CallbackSender;
import dev.berth.core.time.Scheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers run results: {@code POST} of the run's JSON with {@code X-Berth-Signature: sha256=<hex
 * HMAC-SHA256 of the body under the task's secret>}, retried with back-off (1 s, 2 s, 4 s, 8 s)
 * until a 2xx or {@link #ATTEMPTS} attempts. Each delivery runs on its own virtual thread, at most
 * {@link #PARALLEL} at once, so a receiver that is down never blocks runs or other callbacks.
 * Before each attempt the URL's host is checked against the {@link OutboundPolicy} as it resolves
 * at that moment; a refused address ends the delivery with "not sent".
 */
public final class HttpCallbackSender implements CallbackSender {
  static final int ATTEMPTS = 5;
  static final int PARALLEL = 64;
  private static final Logger LOG = LoggerFactory.getLogger(HttpCallbackSender.class);
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final Semaphore parallel = new Semaphore(PARALLEL);
  private final Duration firstBackoff;
  private final Scheduler scheduler;
  private final OutboundPolicy outbound;
  private final OutboundPolicy.Resolver resolver;

  /**
   * @param scheduler waits out the back-off between attempts
   * @param outbound where callbacks may go; checked again before every attempt against what the
   *     host name resolves to then
   */
  public HttpCallbackSender(
      Duration firstBackoff,
      Scheduler scheduler,
      OutboundPolicy outbound,
      OutboundPolicy.Resolver resolver) {
    this.firstBackoff = firstBackoff;
    this.scheduler = scheduler;
    this.outbound = outbound;
    this.resolver = resolver;
  }

  @Override
  public void send(String url, String secret, String body, BiConsumer<String, Integer> onResult) {
    Thread.ofVirtual().name("callback").start(() -> deliver(url, secret, body, onResult));
  }

  private void deliver(
      String url, String secret, String body, BiConsumer<String, Integer> onResult) {
    try {
      parallel.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      Duration backoff = firstBackoff;
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        java.util.Optional<String> refused = outbound.refuseAtSend(url, resolver);
        if (refused.isPresent()) {
          onResult.accept("not sent: " + refused.get(), attempt);
          LOG.warn("callback to {} not sent: {}", url, refused.get());
          return;
        }
        String status;
        boolean done;
        try {
          HttpRequest req =
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .header("User-Agent", "Berth")
                  .header("X-Berth-Signature", "sha256=" + sign(secret, body))
                  .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                  .build();
          int code = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
          done = code >= 200 && code < 300;
          status = (done ? "delivered: " : "failed: receiver answered ") + code;
        } catch (java.io.IOException | IllegalArgumentException e) {
          done = false;
          status =
              "failed: "
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : " " + e.getMessage());
        }
        if (!done && attempt < ATTEMPTS) {
          status += "; retrying in " + backoff.toSeconds() + "s";
        }
        onResult.accept(status, attempt);
        if (done) {
          return;
        }
        if (attempt < ATTEMPTS) {
          scheduler.sleep(backoff);
          backoff = backoff.multipliedBy(2);
        }
      }
      LOG.warn("callback to {} failed after {} attempts", url, ATTEMPTS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("callback to {} failed: {}", url, e.toString());
    } finally {
      parallel.release();
    }
  }

  /**
   * Hex HMAC-SHA256 of {@code body} under {@code secret}: what {@code X-Berth-Signature} carries.
   */
  public static String sign(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
