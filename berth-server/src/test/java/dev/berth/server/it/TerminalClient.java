package dev.berth.server.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A terminal socket as the CLI uses it: a bearer token on the upgrade, keys as binary frames,
 * resizes as JSON text frames; collects what the terminal shows and the control messages.
 */
final class TerminalClient implements AutoCloseable {
  private final StringBuffer screen = new StringBuffer();
  final List<String> controls = new CopyOnWriteArrayList<>();
  final CompletableFuture<String> closed = new CompletableFuture<>();
  private WebSocket socket;

  /** The status of a refused upgrade (with its body), or 101 when the socket opened. */
  record Outcome(int status, String body, TerminalClient client) {}

  static Outcome connect(BerthServer berth, String path, String token) {
    return connect(berth.baseUrl(), path, token);
  }

  /** As {@link #connect(BerthServer, String, String)}, to a Berth at {@code baseUrl}. */
  static Outcome connect(String baseUrl, String path, String token) {
    TerminalClient c = new TerminalClient();
    URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + path);
    WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      c.socket = b.buildAsync(uri, c.listener()).join();
      return new Outcome(101, "", c);
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        Object body = h.getResponse().body();
        return new Outcome(h.getResponse().statusCode(), body == null ? "" : body.toString(), null);
      }
      throw e;
    }
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        screen.append(new String(bytes, StandardCharsets.UTF_8));
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          controls.add(text.toString());
          text.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
        closed.complete(status + " " + reason);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.complete("error " + error);
      }
    };
  }

  String screen() {
    return screen.toString();
  }

  void type(String keys) {
    socket.sendBinary(ByteBuffer.wrap(keys.getBytes(StandardCharsets.UTF_8)), true).join();
  }

  void resize(int columns, int rows) {
    socket
        .sendText("{\"type\":\"resize\",\"cols\":" + columns + ",\"rows\":" + rows + "}", true)
        .join();
  }

  @Override
  public void close() {
    if (socket != null && !socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }
  }
}
