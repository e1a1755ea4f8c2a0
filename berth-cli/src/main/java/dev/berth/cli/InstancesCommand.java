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
 * The instances of an app: list, logs, restart, delete, take out of traffic and back, run a command
 * in one.
 */
@Command(name = "instances", description = "List an app's instances, read their logs, act on one.")
final class InstancesCommand {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("NAME", "id"),
          Column.of("STATE", "state"),
          Column.of("READY", "ready"),
          Column.of("ONLINE", "online"),
          Column.of("REVISION", "revision"),
          Column.of("RESTARTS", "restarts"),
          Column.of("IP", "ip"),
          Column.of("NODE", "node"));

  @Command(name = "list", description = "The app's instances.")
  int list(@Mixin Common common, @Parameters(paramLabel = "APP") String app) {
    common.print(common.api().get(path(app)), COLUMNS);
    return 0;
  }

  @Command(name = "logs", description = "An instance's log, or every instance's merged by time.")
  int logs(
      @Mixin Common common,
      @Mixin Logs logs,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "INSTANCE", index = "1", arity = "0..1") String instance) {
    String path =
        instance == null
            ? "/api/v1/apps/" + seg(app) + "/logs"
            : path(app) + "/" + seg(instance) + "/logs";
    Logs.copy(common.api(), path + logs.query(), common.io());
    return 0;
  }

  @Command(name = "restart", description = "Restart an instance in place.")
  int restart(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "INSTANCE", index = "1") String instance) {
    JsonNode answer = common.api().post(path(app) + "/" + seg(instance) + "/restart", Map.of());
    common.done(answer, "instance '" + instance + "' restarted");
    return 0;
  }

  @Command(
      name = "delete",
      description = "Delete an instance: replaced by a fresh one unless --no-replace.")
  int delete(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "INSTANCE", index = "1") String instance,
      @Option(names = "--no-replace", description = "the app becomes one instance smaller")
          boolean noReplace) {
    JsonNode answer =
        common.api().delete(path(app) + "/" + seg(instance) + (noReplace ? "?replace=false" : ""));
    common.done(
        answer,
        "instance '"
            + instance
            + "' deleted"
            + (answer.path("replaced").asBoolean() ? " and replaced" : ""));
    return 0;
  }

  @Command(name = "offline", description = "Take an instance out of traffic (it keeps running).")
  int offline(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "INSTANCE", index = "1") String instance) {
    JsonNode answer = common.api().post(path(app) + "/" + seg(instance) + "/offline", Map.of());
    common.done(answer, "instance '" + instance + "' is offline");
    return 0;
  }

  @Command(name = "online", description = "Put an instance back into traffic.")
  int online(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "INSTANCE", index = "1") String instance) {
    JsonNode answer = common.api().post(path(app) + "/" + seg(instance) + "/online", Map.of());
    common.done(answer, "instance '" + instance + "' is online");
    return 0;
  }

  @Command(
      name = "exec",
      description =
          "Run COMMAND in an instance and exit with its exit code (124: stopped at --timeout),"
              + " or with -it a terminal: a shell, or COMMAND in it.")
  int exec(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "INSTANCE", index = "1") String instance,
      @Mixin ExecOptions exec,
      @Parameters(paramLabel = "COMMAND", index = "2..*", arity = "0..*") List<String> command) {
    String at = path(app) + "/" + seg(instance);
    if (exec.terminal()) {
      return exec.openTerminal(common, at, command);
    }
    if (exec.stdin || exec.tty) {
      throw new CliException(
          "-i and -t go together: -it opens a terminal; without both, COMMAND runs once");
    }
    if (command == null || command.isEmpty()) {
      throw new CliException(
          "name the command to run after --, e.g. 'berth instances exec "
              + app
              + " "
              + instance
              + " -- df -h', or open a terminal with -it");
    }
    return exec.runOnce(common, at, command, instance);
  }

  private static String path(String app) {
    return "/api/v1/apps/" + seg(app) + "/instances";
  }
}
