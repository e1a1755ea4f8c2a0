package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Turns an error answer of the API (problem+json, RFC 9457) into the one line the user reads. */
final class Problems {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Problems() {}

  /**
   * {@code <title> (<status>): <detail>; <field>: <message>...}, and for 401 what to do about the
   * token. A body that is not a problem is shown as its first line.
   */
  static String line(int status, String body, String server) {
    JsonNode problem = parse(body);
    String title = text(problem, "title");
    String detail = text(problem, "detail");
    List<String> parts = new ArrayList<>();
    if (detail != null && !detail.equals(title)) {
      parts.add(detail);
    }
    for (JsonNode e : problem.path("errors")) {
      String field = text(e, "field");
      String message = text(e, "message");
      String part = field == null ? message : field + ": " + message;
      if (part != null && !parts.contains(part) && (detail == null || !detail.contains(part))) {
        parts.add(part);
      }
    }
    if (title == null && parts.isEmpty() && body != null && !body.isBlank()) {
      parts.add(Contexts.oneLine(body));
    }
    StringBuilder line = new StringBuilder(title != null ? title : "HTTP error");
    line.append(" (").append(status).append(')');
    if (!parts.isEmpty()) {
      line.append(": ").append(String.join("; ", parts));
    }
    if (status == 401) {
      line.append(" — the token is missing, expired or revoked at ")
          .append(server)
          .append(": ")
          .append(Target.HOW);
    }
    return line.toString().replaceAll("\\s*\\R\\s*", " ");
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode n = body == null || body.isBlank() ? null : JSON.readTree(body);
      return n != null && n.isObject() ? n : JSON.createObjectNode();
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }
}
