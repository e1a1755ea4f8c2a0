package dev.berth.cli;

import static dev.berth.cli.Api.seg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs of tasks: list, show, logs, and a command inside a running or kept run. */
@Command(name = "runs", description = "List task runs, read their logs, run a command in one.")
final class RunsCommand {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("ID", "id"),
          Column.of("TASK", "task"),
          Column.of("STATE", "state"),
          Column.of("EXIT", "exitCode"),
          Column.of("NODE", "node"),
          Column.of("STARTED", "startedAt"),
          Column.of("ENDED", "endedAt"));

  @Command(name = "list", description = "Runs, newest first, of one task or state if asked.")
  int list(
      @Mixin Common common,
      @Option(names = "--task") String task,
      @Option(names = "--state", description = "queued, running, succeeded, failed, …")
          String state) {
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("task", task);
    filters.put("state", state);
    common.print(Pages.all(common.api(), "/api/v1/runs", filters), COLUMNS);
    return 0;
  }

  @Command(name = "get", description = "One run.")
  int get(@Mixin Common common, @Parameters(paramLabel = "RUN") String run) {
    common.print(common.api().get("/api/v1/runs/" + seg(run)), COLUMNS);
    return 0;
  }

  @Command(name = "logs", description = "A run's console log (kept after the run).")
  int logs(@Mixin Common common, @Mixin Logs logs, @Parameters(paramLabel = "RUN") String run) {
    Logs.copy(common.api(), "/api/v1/runs/" + seg(run) + "/logs" + logs.query(), common.io());
    return 0;
  }

  @Command(
      name = "exec",
      description =
          "Run a command in a running or kept run, or with -it a terminal;"
              + " exits with its exit code (124: stopped at --timeout).")
  int exec(
      @Mixin Common common,
      @Parameters(paramLabel = "RUN", index = "0") String run,
      @Mixin ExecOptions exec,
      @Parameters(paramLabel = "COMMAND", index = "1..*", arity = "0..*") List<String> command) {
    String at = "/api/v1/runs/" + seg(run);
    if (exec.terminal()) {
      return exec.openTerminal(common, at, command);
    }
    if (command == null || command.isEmpty()) {
      throw new CliException("name the command to run after --, or open a terminal with -it");
    }
    return exec.runOnce(common, at, command, "run " + run);
  }
}
