package dev.berth.cli;

import static dev.berth.cli.Api.seg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth tasks run NAME --image IMAGE [--pool POOL] [--sync] -- COMMAND ARGS…}: creates the
 * task (or runs the existing one of that name when its image, command and pool are the same),
 * starts a run, and with {@code --sync} streams its log and exits with the run's exit code.
 */
@Command(
    name = "run",
    description = "Create a task (or reuse the same one) and start a run; --sync follows it.",
    exitCodeListHeading = "Exit codes with --sync:%n",
    exitCodeList = {
      "N:the run's exit code",
      "124:the run timed out",
      "125:the run was cancelled or never started a command",
      "1:an error"
    })
final class TaskRun implements Callable<Integer> {
  static final int TIMED_OUT = 124;
  static final int NO_EXIT_CODE = 125;

  @Mixin Common common;

  @Parameters(paramLabel = "TASK", index = "0")
  String name;

  @Option(names = "--image", required = true)
  String image;

  @Option(names = "--sync", description = "stream the run's log and exit with its exit code")
  boolean sync;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "the run's time limit")
  Integer timeout;

  @Option(
      names = "--pool",
      paramLabel = "POOL",
      description = "place the runs on this machine pool of the task's cluster")
  String pool;

  @Parameters(paramLabel = "COMMAND", index = "1..*", arity = "1..*")
  List<String> command;

  @Override
  public Integer call() {
    Api api = common.api();
    JsonNode run = start(api);
    String id = run.path("id").asText();
    Io io = common.io();
    if (!sync) {
      common.done(run, "run '" + id + "' started");
      return 0;
    }
    io.err().println("run '" + id + "' started; its log follows");
    JsonNode ended = new RunFollower(api, io, id).follow();
    if (common.output != Format.TABLE) {
      common.print(ended, List.of());
    }
    io.err().println("run '" + id + "' " + ended.path("state").asText() + exit(ended));
    return exitCode(ended);
  }

  private JsonNode start(Api api) {
    return api.find("/api/v1/tasks/" + seg(name))
        .map(existing -> fire(api, existing))
        .orElseGet(
            () -> api.post("/api/v1/tasks", body(name, image, command, timeout, pool)).path("run"));
  }

  /** The new task this command line asks for: async, triggered now, on {@code pool} if named. */
  static ObjectNode body(
      String name, String image, List<String> command, Integer timeout, String pool) {
    ObjectNode body =
        Api.JSON.createObjectNode().put("name", name).put("image", image).put("mode", "async");
    command.forEach(body.putArray("command")::add);
    body.putObject("trigger").put("type", "now");
    if (timeout != null) {
      body.put("timeoutSeconds", timeout);
    }
    if (pool != null && !pool.isBlank()) {
      body.putObject("scheduling").put("pool", pool.strip());
    }
    return body;
  }

  private JsonNode fire(Api api, JsonNode existing) {
    difference(existing, image, command, pool)
        .ifPresent(
            what -> {
              throw new CliException(
                  "task '"
                      + name
                      + "' exists with "
                      + what
                      + "; delete it first (berth tasks delete "
                      + name
                      + ") or choose another name");
            });
    return api.post("/api/v1/tasks/" + seg(name) + "/runs", Map.of());
  }

  /**
   * How the existing task differs from the one this command line describes (its image, command or
   * machine pool), or empty when it is the same task and may simply run again.
   */
  static Optional<String> difference(
      JsonNode existing, String image, List<String> command, String pool) {
    if (!image.equals(existing.path("image").asText())) {
      return Optional.of("another image (" + existing.path("image").asText() + ")");
    }
    if (!Api.JSON.valueToTree(command).equals(existing.path("command"))) {
      return Optional.of("another command");
    }
    String wanted = pool == null || pool.isBlank() ? null : pool.strip();
    String stored = existing.path("scheduling").path("pool").textValue();
    if (!Objects.equals(wanted, stored)) {
      return Optional.of(stored == null ? "no pool" : "pool '" + stored + "'");
    }
    return Optional.empty();
  }

  static boolean isFinal(String state) {
    return List.of("succeeded", "failed", "timed_out", "cancelled").contains(state);
  }

  static int exitCode(JsonNode run) {
    if (run.path("exitCode").isInt()) {
      return run.path("exitCode").asInt();
    }
    return "timed_out".equals(run.path("state").asText()) ? TIMED_OUT : NO_EXIT_CODE;
  }

  private static String exit(JsonNode run) {
    return run.path("exitCode").isInt() ? " with exit code " + run.path("exitCode").asInt() : "";
  }
}
