package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/** One column of a table: its header and how to read a cell from a row's JSON. */
record Column(String header, Function<JsonNode, String> value) {

  /** The field at a dotted path ({@code status.phase}); "" when absent. */
  static Column of(String header, String path) {
    return new Column(header, row -> text(at(row, path)));
  }

  static JsonNode at(JsonNode row, String path) {
    JsonNode n = row;
    for (String part : path.split("\\.")) {
      n = n.path(part);
    }
    return n;
  }

  static String text(JsonNode n) {
    if (n.isMissingNode() || n.isNull()) {
      return "";
    }
    if (n.isArray()) {
      StringBuilder sb = new StringBuilder();
      n.forEach(e -> sb.append(sb.isEmpty() ? "" : " ").append(text(e)));
      return sb.toString();
    }
    if (n.isObject()) {
      StringBuilder sb = new StringBuilder();
      n.properties()
          .forEach(
              e ->
                  sb.append(sb.isEmpty() ? "" : ",")
                      .append(e.getKey())
                      .append('=')
                      .append(text(e.getValue())));
      return sb.toString();
    }
    return n.asText();
  }
}
