package dev.berth.cli;

import static dev.berth.cli.Api.seg;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Tasks: list, show, create from a spec file, delete, and {@code run} one now (see {@link
 * TaskRun}).
 */
@Command(
    name = "tasks",
    description = "List, show, create and delete tasks; run one now.",
    subcommands = TaskRun.class)
final class TasksCommand {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("NAME", "name"),
          Column.of("IMAGE", "image"),
          Column.of("TRIGGER", "trigger.type"),
          Column.of("MODE", "mode"),
          Column.of("POOL", "scheduling.pool"),
          Column.of("NEXT", "nextFireAt"),
          Column.of("COMMAND", "command"));

  @Command(name = "list", description = "The tasks of your teams.")
  int list(@Mixin Common common) {
    common.print(Pages.all(common.api(), "/api/v1/tasks", Map.of()), COLUMNS);
    return 0;
  }

  @Command(name = "get", description = "One task.")
  int get(@Mixin Common common, @Parameters(paramLabel = "TASK") String task) {
    common.print(common.api().get("/api/v1/tasks/" + seg(task)), COLUMNS);
    return 0;
  }

  @Command(
      name = "create",
      description =
          "Create a task from a YAML or JSON file: the API's task, with its trigger, placement and"
              + " scheduling (pool, node labels).")
  int create(
      @Mixin Common common,
      @Option(
              names = {"-f", "--file"},
              required = true,
              description = "the task's spec, YAML or JSON ('-': stdin)")
          String file) {
    JsonNode task = common.api().post("/api/v1/tasks", SpecFile.read(file, common.io().in()));
    common.done(task, created(task));
    return 0;
  }

  /**
   * What {@code create} says in table mode: the task, the run a {@code now} trigger started, and a
   * callback secret Berth generated (the create answer is the only time it is shown).
   */
  static String created(JsonNode task) {
    StringBuilder sb = new StringBuilder("task '" + task.path("name").asText() + "' created");
    JsonNode run = task.path("run");
    if (run.hasNonNull("id")) {
      sb.append("; run '")
          .append(run.path("id").asText())
          .append("' is ")
          .append(run.path("state").asText());
    }
    if (task.hasNonNull("callbackSecret")) {
      sb.append("; callback secret (shown once): ").append(task.path("callbackSecret").asText());
    }
    return sb.toString();
  }

  @Command(name = "delete", description = "Delete a task, its schedule, active and kept runs.")
  int delete(@Mixin Common common, @Parameters(paramLabel = "TASK") String task) {
    JsonNode answer = common.api().delete("/api/v1/tasks/" + seg(task));
    common.done(answer, "task '" + task + "' deleted");
    return 0;
  }
}
