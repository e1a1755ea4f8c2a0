package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {
  static final JsonNode APPS =
      json(
          """
          {"items": [
            {"name": "web", "image": "r/demo:1", "status": {"phase": "Running", "ready": 2, "desired": 2}},
            {"name": "worker-long-name", "image": "r/w:3", "status": {"phase": "Degraded", "ready": 0, "desired": 1}}
          ], "next": null, "total": 2}
          """);

  static JsonNode json(String s) {
    try {
      return Api.JSON.readTree(s);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static String print(Format format, JsonNode answer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Output.print(
        new PrintStream(bytes, true, StandardCharsets.UTF_8), format, answer, AppsCommand.COLUMNS);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTableHasAlignedColumnsUnderUpperCaseHeadersOneRowPerItem() {
    assertThat(print(Format.TABLE, APPS))
        .isEqualTo(
            """
            NAME               PHASE      READY   REVISION   IMAGE
            web                Running    2/2                r/demo:1
            worker-long-name   Degraded   0/1                r/w:3
            """);
  }

  @Test
  void oneObjectIsATableOfOneRow() {
    assertThat(print(Format.TABLE, APPS.get("items").get(0)).lines().toList())
        .hasSize(2)
        .last()
        .asString()
        .startsWith("web ");
  }

  @Test
  void jsonIsTheWholeAnswerAsTheApiGaveIt() {
    String out = print(Format.JSON, APPS);
    assertThat(json(out)).isEqualTo(APPS);
    assertThat(out).contains("\n  \"items\"");
  }

  @Test
  void yamlIsTheWholeAnswerWithoutQuotesWhereNoneAreNeeded() {
    String out = print(Format.YAML, APPS);
    assertThat(out).startsWith("items:\n- name: web\n  image: r/demo:1\n");
    assertThat(out).contains("total: 2");
  }

  @Test
  void cellsOfArraysAndObjectsAreReadable() {
    JsonNode task = json("{\"command\": [\"sh\", \"-c\", \"exit 3\"], \"env\": {\"A\": \"1\"}}");
    assertThat(Column.of("X", "command").value().apply(task)).isEqualTo("sh -c exit 3");
    assertThat(Column.of("X", "env").value().apply(task)).isEqualTo("A=1");
    assertThat(Column.of("X", "missing.field").value().apply(task)).isEmpty();
    assertThat(Output.table(List.of(Column.of("A", "a")), List.of())).isEqualTo("A\n");
  }
}
