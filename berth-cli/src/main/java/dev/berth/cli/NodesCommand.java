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
      description = "Cordon a node and move its instances away (within the disruption budget).")
  int drain(
      @Mixin Common common,
      @Parameters(paramLabel = "NODE") String node,
      @Option(names = "--cluster", defaultValue = "local") String cluster) {
    return action(common, cluster, node, "drain", "is draining");
  }

  private static int action(
      Common common, String cluster, String node, String action, String done) {
    JsonNode answer =
        common
            .api()
            .post(
                "/api/v1/clusters/" + seg(cluster) + "/nodes/" + seg(node) + "/" + action,
                Map.of());
    common.done(answer, "node '" + node + "' " + done);
    return 0;
  }
}
