package dev.berth.server.terminal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * A terminal socket accepted by {@link TerminalHandshake}: binary frames from the user are keys,
 * text frames control messages ({@link TerminalProtocol}); the terminal's output goes back as
 * binary frames through {@link TerminalSessions}.
 */
final class TerminalHandler extends AbstractWebSocketHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TerminalHandler.class);
  private static final int SEND_TIME_LIMIT_MS = 10_000;
  private static final int BUFFER_LIMIT = 1 << 20;

  private final TerminalSessions sessions;
  private final ObjectMapper json;

  TerminalHandler(TerminalSessions sessions, ObjectMapper json) {
    this.sessions = sessions;
    this.json = json;
  }

  private static TerminalSession session(WebSocketSession ws) {
    return (TerminalSession) ws.getAttributes().get(TerminalHandshake.SESSION);
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession ws) {
    WebSocketSession out =
        new ConcurrentWebSocketSessionDecorator(ws, SEND_TIME_LIMIT_MS, BUFFER_LIMIT);
    sessions.attach(session(ws), new SocketScreen(out, json));
  }

  @Override
  protected void handleBinaryMessage(WebSocketSession ws, BinaryMessage message) {
    ByteBuffer b = message.getPayload();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    sessions.input(session(ws).id(), bytes);
  }

  @Override
  protected void handleTextMessage(WebSocketSession ws, TextMessage message) {
    TerminalProtocol.resize(json, message.getPayload())
        .ifPresent(
            r -> {
              try {
                sessions.resize(session(ws).id(), r.columns(), r.rows());
              } catch (IllegalArgumentException e) {
                LOG.debug("terminal {}: resize refused: {}", session(ws).id(), e.getMessage());
              }
            });
  }

  @Override
  public void afterConnectionClosed(WebSocketSession ws, CloseStatus status) {
    sessions.hangUp(session(ws).id());
  }

  /** The user's socket as a terminal screen. */
  private record SocketScreen(WebSocketSession ws, ObjectMapper json) implements TerminalScreen {
    @Override
    public void show(byte[] bytes, int length) throws IOException {
      ws.sendMessage(new BinaryMessage(Arrays.copyOf(bytes, length)));
    }

    @Override
    public void closed(String reason, Integer exitCode) {
      try {
        if (ws.isOpen()) {
          ws.sendMessage(new TextMessage(TerminalProtocol.closed(json, reason, exitCode)));
          byte[] r = reason.getBytes(StandardCharsets.UTF_8);
          ws.close(
              CloseStatus.NORMAL.withReason(
                  r.length <= 120 ? reason : new String(r, 0, 120, StandardCharsets.UTF_8)));
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("terminal socket already gone: {}", e.getMessage());
      }
    }
  }
}
