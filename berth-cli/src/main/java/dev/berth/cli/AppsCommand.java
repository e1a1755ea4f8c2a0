package dev.berth.cli;

import static dev.berth.cli.Api.seg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Apps: list, show, create, apply a spec file, scale and delete. */
@Command(name = "apps", description = "List, show, create, apply, scale and delete apps.")
final class AppsCommand {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("NAME", "name"),
          Column.of("PHASE", "status.phase"),
          new Column(
              "READY",
              a ->
                  a.path("status").path("ready").asText()
                      + "/"
                      + a.path("status").path("desired").asText()),
          Column.of("REVISION", "status.revision"),
          Column.of("IMAGE", "image"));

  @Command(name = "list", description = "The apps of your teams.")
  int list(@Mixin Common common) {
    common.print(Pages.all(common.api(), "/api/v1/apps", java.util.Map.of()), COLUMNS);
    return 0;
  }

  @Command(name = "get", description = "One app: its spec, status and current release.")
  int get(@Mixin Common common, @Parameters(paramLabel = "APP") String app) {
    common.print(common.api().get("/api/v1/apps/" + seg(app)), COLUMNS);
    return 0;
  }

  @Command(
      name = "create",
      description = "Create an app from a YAML or JSON file (-f), or from options.")
  int create(
      @Mixin Common common,
      @Option(
              names = {"-f", "--file"},
              description = "the app's spec, YAML or JSON ('-': stdin)")
          String file,
      @Parameters(paramLabel = "APP", index = "0", arity = "0..1") String name,
      @Option(names = "--image") String image,
      @Option(names = "--instances", defaultValue = "1") int instances,
      @Option(names = "--port", description = "a port named http") Integer port,
      @Parameters(paramLabel = "COMMAND", arity = "0..*", index = "1..*") List<String> command) {
    ObjectNode spec;
    if (file != null) {
      spec = SpecFile.read(file, common.io().in());
    } else {
      if (name == null || image == null) {
        throw new CliException("name the app and its --image, or give its spec with -f FILE");
      }
      spec =
          Api.JSON
              .createObjectNode()
              .put("name", name)
              .put("image", image)
              .put("instances", instances);
      if (port != null) {
        spec.putArray("ports").addObject().put("name", "http").put("port", port);
      }
      if (command != null && !command.isEmpty()) {
        command.forEach(spec.putArray("command")::add);
      }
    }
    JsonNode app = common.api().post("/api/v1/apps", spec);
    common.done(app, "app '" + app.path("name").asText() + "' created");
    return 0;
  }

  @Command(
      name = "apply",
      description =
          "Create the app of a spec file, or replace its spec (a new revision when it changed).")
  int apply(
      @Mixin Common common,
      @Option(
              names = {"-f", "--file"},
              required = true,
              description = "YAML or JSON ('-': stdin)")
          String file) {
    ObjectNode spec = SpecFile.read(file, common.io().in());
    String name = SpecFile.name(spec, file);
    Api api = common.api();
    String path = "/api/v1/apps/" + seg(name);
    JsonNode app =
        api.find(path)
            .map(current -> api.put(path, spec, current.path("version").asLong()))
            .orElseGet(() -> api.post("/api/v1/apps", spec));
    common.done(
        app,
        "app '"
            + name
            + "' applied (revision "
            + app.path("status").path("revision").asText()
            + ")");
    return 0;
  }

  @Command(name = "scale", description = "Set the number of instances.")
  int scale(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "INSTANCES", index = "1") int instances) {
    JsonNode answer =
        common
            .api()
            .post("/api/v1/apps/" + seg(app) + "/scale", java.util.Map.of("instances", instances));
    common.done(answer, "app '" + app + "' scaled to " + instances);
    return 0;
  }

  @Command(
      name = "delete",
      description =
          "Delete an app and its instances; asks for its name unless --yes or --confirm NAME.")
  int delete(
      @Mixin Common common,
      @Parameters(paramLabel = "APP") String app,
      @Option(names = "--confirm", paramLabel = "APP", description = "the app's name, typed back")
          String confirm,
      @Option(
              names = {"-y", "--yes"},
              description = "do not ask")
          boolean yes) {
    String typed = yes ? app : confirm != null ? confirm : ask(common.io(), app);
    JsonNode answer =
        common
            .api()
            .delete("/api/v1/apps/" + seg(app) + Api.query(java.util.Map.of("confirm", typed)));
    common.done(answer, "app '" + app + "' deleted");
    return 0;
  }

  private static String ask(Io io, String app) {
    io.err().print("Deleting app '" + app + "' and its instances. Type its name to confirm: ");
    io.err().flush();
    try {
      String line =
          new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8)).readLine();
      if (line == null) {
        throw new CliException(
            "no answer to confirm the deletion; pass --confirm " + app + " or --yes");
      }
      if (!line.strip().equals(app)) {
        throw new CliException("'" + line.strip() + "' is not '" + app + "'; nothing deleted");
      }
      return line.strip();
    } catch (IOException e) {
      throw new CliException("cannot read the confirmation: " + e.getMessage());
    }
  }
}
