package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Prints a running drain's progress, a line for each change of an instance, until it ends. */
final class DrainProgress {
  static final List<Column> COLUMNS =
      List.of(
          new Column("INSTANCE", i -> i.path("app").asText() + "-" + i.path("ordinal").asText()),
          Column.of("PHASE", "phase"),
          Column.of("SURGED", "surged"),
          Column.of("WAITING FOR", "blockedReason"));

  private DrainProgress() {}

  static JsonNode follow(Api api, String path, Common common) {
    Set<String> shown = new HashSet<>();
    Io io = common.io();
    JsonNode ended =
        Polling.until(
            api,
            path,
            d -> !"running".equals(d.path("state").asText()),
            d -> {
              for (JsonNode i : d.path("instances")) {
                String line =
                    Output.table(COLUMNS, List.of(i)).lines().skip(1).findFirst().orElse("");
                if (common.output == Format.TABLE && shown.add(line)) {
                  io.out().println(line);
                }
              }
            });
    if (common.output == Format.TABLE) {
      io.out()
          .println(
              "drain of '" + ended.path("node").asText() + "': " + ended.path("state").asText());
    } else {
      common.print(ended, List.of());
    }
    return ended;
  }
}
