package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The saved contexts: which servers the CLI knows, and which one it uses. */
@Command(
    name = "context",
    description = "List the saved contexts or switch to another.",
    mixinStandardHelpOptions = true)
final class ContextCommand {

  @Command(name = "list", description = "The saved contexts; * marks the current one.")
  int list(@Mixin Common common) {
    Contexts contexts = Contexts.read(common.io().configFile());
    ObjectNode answer = Api.JSON.createObjectNode();
    ArrayNode items = answer.putArray("items");
    for (Contexts.Context c : contexts.contexts()) {
      items
          .addObject()
          .put("current", c.name().equals(contexts.current()))
          .put("name", c.name())
          .put("server", c.server());
    }
    common.print(
        answer,
        List.of(
            new Column("CURRENT", r -> r.path("current").asBoolean() ? "*" : ""),
            Column.of("NAME", "name"),
            Column.of("SERVER", "server")));
    return 0;
  }

  @Command(name = "use", description = "Make a saved context the current one.")
  int use(@Mixin Common common, @Parameters(paramLabel = "NAME") String name) {
    Io io = common.io();
    Contexts.read(io.configFile()).use(name).write(io.configFile());
    io.out().println("Using context '" + name + "'");
    return 0;
  }
}
