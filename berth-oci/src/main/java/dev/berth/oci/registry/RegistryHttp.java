package dev.berth.oci.registry;

import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.oci.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The plumbing shared by {@link RegistryClient} and {@link BlobUploads}: URLs (plain HTTP for
 * loopback and insecure registries), auth scopes, and sending a request with cached auth, answering
 * one 401 challenge. A request that may be sent twice (GET, HEAD, a manifest PUT, opening an
 * upload) is sent again, at once and at most {@value #DROPPED_CONNECTION_RETRIES} times, when its
 * connection drops before an answer: a cut connection is a fault of the path, not of the registry,
 * and repeating one request is far cheaper than repeating a whole image. Refused connections,
 * timeouts and answers (5xx too) are not repeated here; the replication engine retries those with
 * back-off. Thread-safe.
 */
final class RegistryHttp implements AutoCloseable {
  static final int DROPPED_CONNECTION_RETRIES = 2;

  final HttpClient http;
  final Authenticator auth;
  final Duration requestTimeout;
  final Duration transferTimeout;
  final Duration connectTimeout;
  private final Set<String> insecure;

  RegistryHttp(
      Credentials credentials,
      InstantSource clock,
      Set<String> insecure,
      Duration connectTimeout,
      Duration requestTimeout,
      Duration transferTimeout) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.auth = new Authenticator(http, credentials, clock, requestTimeout);
    this.insecure = Set.copyOf(insecure);
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.transferTimeout = transferTimeout;
  }

  /** Whether a registry is spoken to over plain HTTP: loopback and the configured insecure ones. */
  boolean isPlainHttp(String apiHost) {
    if (insecure.contains(apiHost)) {
      return true;
    }
    String host = apiHost;
    if (host.startsWith("[")) {
      host = host.substring(1, host.indexOf(']'));
    } else if (host.indexOf(':') >= 0) {
      host = host.substring(0, host.indexOf(':'));
    }
    host = host.toLowerCase(Locale.ROOT);
    return insecure.contains(host)
        || host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("::1");
  }

  URI url(String apiHost, String pathAndQuery) {
    return URI.create((isPlainHttp(apiHost) ? "http://" : "https://") + apiHost + pathAndQuery);
  }

  HttpRequest.Builder get(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
  }

  HttpRequest.Builder head(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(requestTimeout).HEAD();
  }

  static String pullScope(ImageReference ref) {
    return "repository:" + ref.repository() + ":pull";
  }

  static String pushScope(ImageReference ref) {
    return "repository:" + ref.repository() + ":pull,push";
  }

  /** Sends a request that may be repeated (see the class comment). */
  <T> HttpResponse<T> send(
      ImageReference target,
      String scope,
      Supplier<HttpRequest.Builder> request,
      HttpResponse.BodyHandler<T> handler,
      String what) {
    return send(target, scope, request, handler, what, true);
  }

  /**
   * Sends with cached auth; answers one 401 challenge; a second 401 means rejected credentials.
   *
   * @param repeatable whether the request may be sent again when its connection drops
   */
  <T> HttpResponse<T> send(
      ImageReference target,
      String scope,
      Supplier<HttpRequest.Builder> request,
      HttpResponse.BodyHandler<T> handler,
      String what,
      boolean repeatable) {
    String registry = target.registry();
    String apiHost = target.apiHost();
    Optional<String> cached = auth.cached(registry, apiHost, scope);
    HttpResponse<T> r =
        exchange(
            () -> authorized(request.get(), cached).build(), handler, registry, what, repeatable);
    if (r.statusCode() != 401) {
      return r;
    }
    Responses.close(r);
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    String authorization = auth.answer(registry, apiHost, scope, challenge);
    r =
        exchange(
            () -> authorized(request.get(), Optional.of(authorization)).build(),
            handler,
            registry,
            what,
            repeatable);
    if (r.statusCode() == 401) {
      Responses.close(r);
      auth.invalidate(apiHost, scope);
      throw rejected(registry, what);
    }
    return r;
  }

  RegistryAuthenticationException rejected(String registry, String what) {
    return new RegistryAuthenticationException(
        auth.hasCredentials(registry)
            ? "credentials rejected by " + registry + " for " + what
            : registry + " requires credentials for " + what + " and none are configured");
  }

  private static HttpRequest.Builder authorized(
      HttpRequest.Builder b, Optional<String> authorization) {
    authorization.ifPresent(a -> b.header("Authorization", a));
    return b;
  }

  /**
   * One exchange without auth handling (e.g. a redirect to another host), sent again on a dropped
   * connection.
   */
  <T> HttpResponse<T> exchange(
      Supplier<HttpRequest> request,
      HttpResponse.BodyHandler<T> handler,
      String registry,
      String what,
      boolean repeatable) {
    for (int attempt = 0; ; attempt++) {
      HttpRequest built = request.get();
      HttpRequest.Builder copy = HttpRequest.newBuilder(built, (n, v) -> true);
      if ("http".equals(built.uri().getScheme())) {
        copy.version(HttpClient.Version.HTTP_1_1);
      }
      try {
        return http.send(copy.build(), handler);
      } catch (IOException e) {
        if (!repeatable || attempt == DROPPED_CONNECTION_RETRIES || !dropped(e)) {
          throw unreachable(registry, what, e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException("interrupted during " + what, e);
      }
    }
  }

  /**
   * Whether an I/O failure is a connection that dropped (worth one more try), not a refusal or a
   * timeout.
   */
  static boolean dropped(IOException e) {
    return RegistryClient.isDroppedConnection(e);
  }

  static RegistryUnavailableException unreachable(String registry, String what, IOException e) {
    String message = e.getMessage();
    return new RegistryUnavailableException(
        "registry "
            + registry
            + " is unreachable for "
            + what
            + ": "
            + e.getClass().getSimpleName()
            + (message == null ? "" : " " + message),
        e);
  }

  @Override
  public void close() {
    http.close();
  }
}
