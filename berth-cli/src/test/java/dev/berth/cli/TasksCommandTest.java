package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class TasksCommandTest {
  static final List<String> ECHO = List.of("sh", "-c", "echo hi");

  static JsonNode task(String scheduling) {
    return OutputTest.json(
        """
        {"name": "reindex", "image": "r/job:1", "command": ["sh", "-c", "echo hi"],
         "mode": "async", "scheduling": %s}
        """
            .formatted(scheduling));
  }

  @Test
  void aPoolOnTheCommandLinePlacesTheNewTasksRunsOnIt() {
    JsonNode body = TaskRun.body("reindex", "r/job:1", ECHO, 30, " batch ");
    assertThat(body.at("/scheduling/pool").asText()).isEqualTo("batch");
    assertThat(body.at("/trigger/type").asText()).isEqualTo("now");
    assertThat(body.path("timeoutSeconds").asInt()).isEqualTo(30);
    assertThat(body.path("command")).hasSize(3);
  }

  @Test
  void withoutAPoolTheTaskNamesNoneAndRunsAnywhere() {
    assertThat(TaskRun.body("reindex", "r/job:1", ECHO, null, null).has("scheduling")).isFalse();
    assertThat(TaskRun.body("reindex", "r/job:1", ECHO, null, "").has("scheduling")).isFalse();
  }

  @Test
  void theSameTaskOnTheSamePoolRunsAgain() {
    assertThat(
            TaskRun.difference(
                task("{\"pool\": \"batch\", \"nodeLabels\": {}}"), "r/job:1", ECHO, "batch"))
        .isEmpty();
    assertThat(
            TaskRun.difference(task("{\"pool\": null, \"nodeLabels\": {}}"), "r/job:1", ECHO, null))
        .isEmpty();
  }

  @Test
  void anotherPoolImageOrCommandIsNamedInsteadOfRunningTheOtherTask() {
    assertThat(TaskRun.difference(task("{\"pool\": \"batch\"}"), "r/job:1", ECHO, "gpu"))
        .hasValue("pool 'batch'");
    assertThat(TaskRun.difference(task("{\"pool\": \"batch\"}"), "r/job:1", ECHO, null))
        .hasValue("pool 'batch'");
    assertThat(TaskRun.difference(task("{\"pool\": null}"), "r/job:1", ECHO, "batch"))
        .hasValue("no pool");
    assertThat(TaskRun.difference(task("null"), "r/job:2", ECHO, null))
        .hasValue("another image (r/job:1)");
    assertThat(TaskRun.difference(task("null"), "r/job:1", List.of("true"), null))
        .hasValue("another command");
  }

  @Test
  void theTaskTableShowsEachTasksPool() {
    JsonNode list =
        OutputTest.json(
            """
            {"items": [
              {"name": "reindex", "image": "r/job:1", "trigger": {"type": "now"}, "mode": "async",
               "scheduling": {"pool": "batch", "nodeLabels": {}}, "command": ["true"]},
              {"name": "report", "image": "r/job:1", "trigger": {"type": "now"}, "mode": "sync",
               "scheduling": {"pool": null, "nodeLabels": {}}, "command": ["true"]}
            ], "next": null}
            """);
    assertThat(Output.table(TasksCommand.COLUMNS, Output.rows(list)))
        .isEqualTo(
            """
            NAME      IMAGE     TRIGGER   MODE    POOL    NEXT   COMMAND
            reindex   r/job:1   now       async   batch          true
            report    r/job:1   now       sync                   true
            """);
  }

  @Test
  void aTaskCreatedFromAFileSaysItsRunAndTheCallbackSecretShownOnlyOnce() {
    assertThat(TasksCommand.created(task("{\"pool\": \"batch\"}")))
        .isEqualTo("task 'reindex' created");
    assertThat(
            TasksCommand.created(
                OutputTest.json(
                    """
                    {"name": "reindex", "callbackSecret": "c2VjcmV0",
                     "run": {"id": "reindex-1", "state": "succeeded"}}
                    """)))
        .isEqualTo(
            "task 'reindex' created; run 'reindex-1' is succeeded;"
                + " callback secret (shown once): c2VjcmV0");
  }
}
