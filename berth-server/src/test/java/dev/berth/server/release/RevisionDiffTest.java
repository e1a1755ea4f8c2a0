package dev.berth.server.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RevisionDiffTest {
  final ObjectMapper json = new ObjectMapper();

  JsonNode tree(String text) throws Exception {
    return json.readTree(text);
  }

  @Test
  void namesEachChangedAddedAndRemovedFieldWithBothValues() throws Exception {
    JsonNode a =
        tree(
            """
            {"image":"r/web:1","command":["httpd","-f"],"env":{"MODE":"a","OLD":"x"},"resources":{"cpu":0.5}}""");
    JsonNode b =
        tree(
            """
            {"image":"r/web:2","command":["httpd","-f","-v"],"env":{"MODE":"a","NEW":"y"},"resources":{"cpu":0.5}}""");

    assertThat(RevisionDiff.between(a, b))
        .containsExactly(
            new RevisionDiff.Change("command[2]", null, "-v"),
            new RevisionDiff.Change("env.NEW", null, "y"),
            new RevisionDiff.Change("env.OLD", "x", null),
            new RevisionDiff.Change("image", "r/web:1", "r/web:2"));
  }

  @Test
  void theSameSpecHasNoDifferences() throws Exception {
    JsonNode a = tree("{\"image\":\"r/web:1\",\"ports\":[{\"port\":8080}]}");
    assertThat(RevisionDiff.between(a, a.deepCopy())).isEmpty();
  }
}
