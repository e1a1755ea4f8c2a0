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
 * also drop every open watch on demand, the way a load balancer or an API server restart does.
 */
public final class ApiServer implements AutoCloseable {
  private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
  private final List<WebSocket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final KubernetesMockServer server;

  public ApiServer() {
    KubernetesMixedDispatcher mixed = new KubernetesMixedDispatcher(responses);
    Dispatcher dispatcher =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.incrementAndGet();
            lines.add(request.getMethod() + " " + request.getPath());
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

  /** Every request the server has answered. */
  /** Every request so far as {@code METHOD path?query}, in order. */
  public List<String> requestLines() {
    return List.copyOf(lines);
  }

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
