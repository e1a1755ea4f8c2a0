package dev.berth.cli;

import static dev.berth.cli.Api.seg;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Nodes of the clusters: list them; cordon, uncordon and drain one (admins). */
@Command(name = "nodes", description = "List nodes; cordon, uncordon or drain one.")
final class NodesCommand {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("CLUSTER", "cluster"),
          Column.of("NAME", "name"),
          Column.of("IP", "ip"),
          Column.of("POOL", "pool"),
          new Column(
              "CPU",
              n ->
                  Column.text(n.path("requested").path("cpu"))
                      + "/"
                      + Column.text(n.path("allocatable").path("cpu"))),
          new Column(
              "MEMORY MiB",
              n ->
                  Column.text(n.path("requested").path("memoryMiB"))
                      + "/"
                      + Column.text(n.path("allocatable").path("memoryMiB"))),
          Column.of("SCHEDULABLE", "schedulable"));

  @Command(name = "list", description = "Nodes with requested and allocatable CPU and memory.")
  int list(@Mixin Common common, @Option(names = "--cluster") String cluster) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("cluster", cluster);
    common.print(common.api().get("/api/v1/nodes" + Api.query(q)), COLUMNS);
    return 0;
  }

  @Command(name = "cordon", description = "Stop placing new instances on a node.")
  int cordon(
      @Mixin Common common,
      @Parameters(paramLabel = "NODE") String node,
      @Option(names = "--cluster", defaultValue = "local") String cluster) {
    return action(common, cluster, node, "cordon", "cordoned");
  }

  @Command(name = "uncordon", description = "Place new instances on a node again.")
  int uncordon(
      @Mixin Common common,
      @Parameters(paramLabel = "NODE") String node,
      @Option(names = "--cluster", defaultValue = "local") String cluster) {
    return action(common, cluster, node, "uncordon", "uncordoned");
  }

  @Command(
      name = "drain",
      description =
          "Cordon a node and move its instances off, each app's maxUnavailable respected; stops at"
              + " the deadline instead of hanging.",
      exitCodeListHeading = "Exit codes with --wait:%n",
      exitCodeList = {
        " 0:drained",
        "20:cancelled",
        "30:stopped at the deadline with instances left",
        " 1:an error"
      })
  int drain(
      @Mixin Common common,
      @Parameters(paramLabel = "NODE") String node,
      @Option(names = "--cluster", defaultValue = "local") String cluster,
      @Option(
              names = "--deadline",
              required = true,
              description = "how long the drain may take, such as 10m or 1h")
          String deadline,
      @Option(names = "--surge", description = "start a replacement elsewhere before each stop")
          Boolean surge,
      @Option(names = "--wait", description = "print progress until the drain ends") boolean wait) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deadline", deadline);
    body.put("surge", surge);
    body.values().removeIf(java.util.Objects::isNull);
    Api api = common.api();
    String path = nodePath(cluster, node) + "/drain";
    JsonNode started = api.post(path, body);
    if (!wait) {
      common.done(
          started,
          "node '" + node + "' is draining (until " + started.path("deadline").asText() + ")");
      return 0;
    }
    JsonNode ended = DrainProgress.follow(api, path, common);
    return switch (ended.path("state").asText()) {
      case "succeeded" -> 0;
      case "cancelled" -> 20;
      default -> 30;
    };
  }

  @Command(
      name = "drain-status",
      description = "The node's latest drain: state and every instance.")
  int drainStatus(
      @Mixin Common common,
      @Parameters(paramLabel = "NODE") String node,
      @Option(names = "--cluster", defaultValue = "local") String cluster) {
    JsonNode drain = common.api().get(nodePath(cluster, node) + "/drain");
    if (!drain.has("state")) {
      throw new CliException("node '" + node + "' was never drained");
    }
    common.print(drain.path("instances"), DrainProgress.COLUMNS);
    if (common.output == Format.TABLE) {
      common.io().out().println("drain of '" + node + "': " + drain.path("state").asText());
    }
    return 0;
  }

  static String nodePath(String cluster, String node) {
    return "/api/v1/clusters/" + seg(cluster) + "/nodes/" + seg(node);
  }

  private static int action(
      Common common, String cluster, String node, String action, String done) {
    JsonNode answer = common.api().post(nodePath(cluster, node) + "/" + action, Map.of());
    common.done(answer, "node '" + node + "' " + done);
    return 0;
  }
}
