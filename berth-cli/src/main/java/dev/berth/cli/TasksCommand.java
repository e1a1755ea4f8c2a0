package dev.berth.cli;

import static dev.berth.cli.Api.seg;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Tasks: list, show, delete, and {@code run} one now (see {@link TaskRun}). */
@Command(
    name = "tasks",
    description = "List, show and delete tasks; run one now.",
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

  @Command(name = "delete", description = "Delete a task, its schedule, active and kept runs.")
  int delete(@Mixin Common common, @Parameters(paramLabel = "TASK") String task) {
    JsonNode answer = common.api().delete("/api/v1/tasks/" + seg(task));
    common.done(answer, "task '" + task + "' deleted");
    return 0;
  }
}
