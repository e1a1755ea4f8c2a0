package dev.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints an answer of the API: as a table of chosen columns (a list's items, or the one object), or
 * the whole answer as JSON or YAML, for scripts.
 */
final class Output {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private Output() {}

  static void print(PrintStream out, Format format, JsonNode answer, List<Column> columns) {
    switch (format) {
      case JSON -> out.println(json(answer));
      case YAML -> out.print(yaml(answer));
      case TABLE -> out.print(table(columns, rows(answer)));
    }
  }

  static String json(JsonNode answer) {
    try {
      return JSON.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new CliException("cannot print the answer: " + e.getOriginalMessage());
    }
  }

  static String yaml(JsonNode answer) {
    try {
      return YAML.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new CliException("cannot print the answer: " + e.getOriginalMessage());
    }
  }

  /** A list's {@code items}, the elements of an array, or the object itself. */
  static List<JsonNode> rows(JsonNode answer) {
    JsonNode items = answer.isArray() ? answer : answer.get("items");
    List<JsonNode> rows = new ArrayList<>();
    if (items != null && items.isArray()) {
      items.forEach(rows::add);
    } else {
      rows.add(answer);
    }
    return rows;
  }

  /** Left-aligned columns three spaces apart under upper-case headers, like kubectl. */
  static String table(List<Column> columns, List<JsonNode> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(columns.stream().map(Column::header).toArray(String[]::new));
    for (JsonNode row : rows) {
      cells.add(columns.stream().map(c -> c.value().apply(row)).toArray(String[]::new));
    }
    int[] width = new int[columns.size()];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] line : cells) {
      StringBuilder l = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        l.append(line[i]);
        if (i < line.length - 1) {
          l.append(" ".repeat(width[i] - line[i].length() + 3));
        }
      }
      sb.append(l.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }
}
