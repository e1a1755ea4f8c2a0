package dev.berth.server.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The terminal socket's wire protocol (docs/adr/0035): binary frames carry bytes both ways (keys to
 * the terminal, its output back); text frames carry small JSON control messages: {@code
 * {"type":"resize","cols":120,"rows":40}} from the client, and {@code
 * {"type":"closed","reason":"...","exitCode":0}} from Berth just before it closes the socket.
 */
final class TerminalProtocol {
  /** The paths of the two terminal sockets, as the WebSocket mapping and the security chain use. */
  static final String INSTANCE_PATH = "/api/v1/apps/*/instances/*/terminal";

  static final String RUN_PATH = "/api/v1/runs/*/terminal";

  private TerminalProtocol() {}

  /** A resize asked by the client. */
  record Resize(int columns, int rows) {}

  /** The resize in a control message, or empty for anything else (ignored). */
  static Optional<Resize> resize(ObjectMapper json, String message) {
    try {
      JsonNode n = json.readTree(message);
      if (n != null && "resize".equals(n.path("type").asText())) {
        return Optional.of(new Resize(n.path("cols").asInt(0), n.path("rows").asInt(0)));
      }
    } catch (java.io.IOException e) {
      // not JSON: ignored like any unknown control message
    }
    return Optional.empty();
  }

  /** The control message Berth sends before it closes the socket. */
  static String closed(ObjectMapper json, String reason, Integer exitCode) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "closed");
    m.put("reason", reason);
    m.put("exitCode", exitCode);
    try {
      return json.writeValueAsString(m);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Where a socket's path points: {@code [app, instance]} for an instance, {@code [run]} for a run,
   * empty for any other path.
   */
  static Optional<String[]> target(String path) {
    String[] p = path.split("/");
    // "", api, v1, apps, {app}, instances, {instance}, terminal
    if (p.length == 8 && p[3].equals("apps") && p[5].equals("instances")) {
      return Optional.of(new String[] {p[4], p[6]});
    }
    if (p.length == 6 && p[3].equals("runs") && p[5].equals("terminal")) {
      return Optional.of(new String[] {p[4]});
    }
    return Optional.empty();
  }
}
