package dev.berth.runtime.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's mock API server in CRUD mode with expectations on top (mixed), on 127.0.0.1, that can
 * also drop every open watch on demand, the way a load balancer or an API server restart does. It
 * serves the pods' {@code eviction} subresource as the API server does for a budget that allows it
 * (the pod is deleted, 201), and refuses with 429 as many evictions as a test asks: the CRUD mock
 * enforces no PodDisruptionBudget.
 */
public final class ApiServer implements AutoCloseable {
  private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
  private final List<WebSocket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> evictions = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger();
  private final List<String> forbidden = new CopyOnWriteArrayList<>();
  private static final java.util.regex.Pattern EVICTION =
      java.util.regex.Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction");
  private final KubernetesMockServer server;

  public ApiServer() {
    KubernetesMixedDispatcher mixed = new KubernetesMixedDispatcher(responses);
    Dispatcher dispatcher =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.incrementAndGet();
            String path = request.getPath().replaceFirst("\\?.*$", "");
            if (forbidden.contains(path)) {
              return status(403, "Forbidden", "forbidden by the test: " + path);
            }
            var eviction = EVICTION.matcher(path);
            if ("POST".equals(request.getMethod()) && eviction.matches()) {
              return evict(mixed, eviction.group(1), eviction.group(2), request.getUtf8Body());
            }
            MockResponse r = mixed.dispatch(request);
            WebSocketListener l = r.getWebSocketListener();
            if (l != null) {
              r.withWebSocketUpgrade(capturing(l));
            }
            return r;
          }
        };
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  public KubernetesMockServer server() {
    return server;
  }

  public KubernetesClient client() {
    return server.createClient();
  }

  /**
   * A client without fabric8's own request retries, so that Berth's back-off is what a test sees.
   */
  public KubernetesClient clientWithoutRetries() {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder(
                    io.fabric8.kubernetes.client.Config.empty())
                .withMasterUrl(url())
                .withNamespace("default")
                .withRequestRetryBackoffLimit(0)
                .build())
        .build();
  }

  /** The API server's address on loopback. */
  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** A kubeconfig that points at this server with a token. */
  public String kubeconfig(String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
        users:
        - name: berth
          user:
            token: %s
        contexts:
        - name: mock
          context:
            cluster: mock
            user: berth
            namespace: default
        current-context: mock
        """
        .formatted(url(), token);
  }

  /**
   * Every request for {@code path} (without its query) is refused with 403 from now on, as RBAC
   * would.
   */
  public void forbid(String path) {
    forbidden.add(path);
  }

  /** The next {@code n} evictions are refused with 429, as a disruption budget would. */
  public void refuseEvictions(int n) {
    refusals.set(n);
  }

  /**
   * Every eviction posted so far, as {@code namespace/pod apiVersion}, refused or not, in order.
   */
  public List<String> evictions() {
    return List.copyOf(evictions);
  }

  private MockResponse evict(Dispatcher crud, String namespace, String pod, String body) {
    String apiVersion =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(body, Map.class)
            .get("apiVersion")
            .toString();
    evictions.add(namespace + "/" + pod + " " + apiVersion);
    if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return status(
          429,
          "TooManyRequests",
          "Cannot evict pod as it would violate the pod's disruption budget.");
    }
    MockResponse deleted =
        crud.dispatch(
            new RecordedRequest(
                "HTTP/1.1",
                io.fabric8.mockwebserver.dsl.HttpMethod.DELETE,
                "/api/v1/namespaces/" + namespace + "/pods/" + pod,
                io.fabric8.mockwebserver.http.Headers.builder().build(),
                new io.fabric8.mockwebserver.http.Buffer()));
    if (deleted.code() == 404) {
      return status(404, "NotFound", "pods \"" + pod + "\" not found");
    }
    return status(201, "Success", "");
  }

  private static MockResponse status(int code, String reason, String message) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\""
                + (code < 300 ? "Success" : "Failure")
                + "\",\"reason\":\""
                + reason
                + "\",\"message\":\""
                + message
                + "\",\"code\":"
                + code
                + "}");
  }

  /** Every request the server has answered. */
  public int requests() {
    return requests.get();
  }

  /** Closes every open watch; informers must notice and watch again. Returns how many were open. */
  public int dropWatches() {
    int n = 0;
    for (WebSocket s : sockets) {
      if (s.close(1000, "dropped by the test")) {
        n++;
      }
      sockets.remove(s);
    }
    return n;
  }

  public int openWatches() {
    return sockets.size();
  }

  private WebSocketListener capturing(WebSocketListener l) {
    return new WebSocketListener() {
      @Override
      public void onBeforeAccept(WebSocket ws, Response r) {
        l.onBeforeAccept(ws, r);
      }

      @Override
      public void onOpen(WebSocket ws, Response r) {
        sockets.add(ws);
        l.onOpen(ws, r);
      }

      @Override
      public void onMessage(WebSocket ws, String text) {
        l.onMessage(ws, text);
      }

      @Override
      public void onMessage(WebSocket ws, ByteString bytes) {
        l.onMessage(ws, bytes);
      }

      @Override
      public void onMessage(WebSocket ws, byte[] bytes) {
        l.onMessage(ws, bytes);
      }

      @Override
      public void onClosing(WebSocket ws, int code, String reason) {
        sockets.remove(ws);
        l.onClosing(ws, code, reason);
      }

      @Override
      public void onClosed(WebSocket ws, int code, String reason) {
        sockets.remove(ws);
        l.onClosed(ws, code, reason);
      }

      @Override
      public void onFailure(WebSocket ws, Throwable t, Response r) {
        sockets.remove(ws);
        l.onFailure(ws, t, r);
      }
    };
  }

  @Override
  public void close() {
    server.destroy();
  }
}
