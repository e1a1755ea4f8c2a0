package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * An interactive terminal into an instance or a run over Berth's terminal WebSocket: keys go as
 * binary frames, the terminal's output comes back as binary frames, a resize and Berth's closing
 * word ({@code {"type":"closed","reason":…,"exitCode":…}}) as JSON text frames. When standard input
 * is a terminal it is put in raw mode for the session (with {@code stty}) and restored after.
 */
final class Terminal {
  private static final int CTRL_D = 4;

  private final Api api;
  private final Io io;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();

  Terminal(Api api, Io io) {
    this.api = api;
    this.io = io;
  }

  /**
   * Opens the socket at {@code path}, types {@code command} if any (as {@code exec COMMAND}, so its
   * exit code is the session's), copies keys and output until Berth closes the session; answers the
   * exit code of the shell or command.
   */
  int run(String path, List<String> command) {
    Tty tty = Tty.of(io);
    WebSocket socket = open(path + "?cols=" + tty.columns() + "&rows=" + tty.rows());
    try (tty) {
      tty.raw();
      if (command != null && !command.isEmpty()) {
        send(socket, "exec " + Tty.quote(command) + "\r");
      }
      Thread keys = Thread.ofVirtual().start(() -> copyKeys(socket));
      int code = exit.join();
      keys.interrupt();
      return code;
    }
  }

  private WebSocket open(String path) {
    URI uri = URI.create(api.server().replaceFirst("^http", "ws") + path);
    try {
      return HttpClient.newHttpClient()
          .newWebSocketBuilder()
          .header("Authorization", "Bearer " + api.token())
          .buildAsync(uri, listener())
          .join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        Object body = h.getResponse().body();
        throw new CliException(
            Problems.line(
                h.getResponse().statusCode(), body == null ? "" : body.toString(), api.server()));
      }
      throw new CliException("cannot open a terminal at " + api.server() + ": " + e.getCause());
    }
  }

  private void copyKeys(WebSocket socket) {
    InputStream in = io.in();
    byte[] buffer = new byte[1024];
    try {
      for (int n = in.read(buffer); n >= 0 && !exit.isDone(); n = in.read(buffer)) {
        socket.sendBinary(ByteBuffer.wrap(buffer, 0, n), true).join();
      }
      if (!exit.isDone()) {
        socket.sendBinary(ByteBuffer.wrap(new byte[] {CTRL_D}), true).join();
      }
    } catch (IOException | CompletionException e) {
      // the session ended under us: its exit code is on its way
    }
  }

  private static void send(WebSocket socket, String keys) {
    socket
        .sendBinary(ByteBuffer.wrap(keys.getBytes(java.nio.charset.StandardCharsets.UTF_8)), true)
        .join();
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        io.out().write(bytes, 0, bytes.length);
        io.out().flush();
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          closing(text.toString());
          text.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
        exit.complete(0);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        io.err().println("berth: the terminal broke off: " + error.getMessage());
        exit.complete(1);
      }
    };
  }

  private void closing(String message) {
    try {
      JsonNode m = Api.JSON.readTree(message);
      if ("closed".equals(m.path("type").asText())) {
        if (m.path("exitCode").isInt()) {
          exit.complete(m.path("exitCode").asInt());
        } else {
          io.err().println("\r\nberth: terminal closed: " + m.path("reason").asText());
          exit.complete(1);
        }
      }
    } catch (IOException e) {
      // an unknown control message: ignored
    }
  }
}
