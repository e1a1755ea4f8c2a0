package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Events, newest first, or with {@code -w} as they happen. */
@Command(
    name = "events",
    description = "Events of your teams' apps, clusters and nodes; -w follows.")
final class EventsCommand implements Callable<Integer> {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("TIME", "time"),
          Column.of("TYPE", "type"),
          Column.of("OBJECT", "object"),
          Column.of("REASON", "reason"),
          Column.of("MESSAGE", "message"));

  @Mixin Common common;

  @Option(
      names = {"-w", "--watch"},
      description = "print new events as they happen")
  boolean watch;

  @Option(names = "--object", description = "kind/name, a name, or an app (with its instances)")
  String object;

  @Option(names = "--type", description = "Normal or Warning")
  String type;

  @Option(names = "--size", description = "how many (default 100)")
  Integer size;

  @Override
  public Integer call() {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("object", object);
    q.put("type", type);
    Api api = common.api();
    if (!watch) {
      q.put("size", size);
      common.print(api.get("/api/v1/events" + Api.query(q)), COLUMNS);
      return 0;
    }
    Io io = common.io();
    if (common.output == Format.TABLE) {
      io.out().print(Output.table(COLUMNS, List.of()));
    }
    try (InputStream in = api.stream("/api/v1/events/stream" + Api.query(q));
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("data:")) {
          print(Api.JSON.readTree(line.substring(5)));
        }
      }
    } catch (IOException e) {
      throw new CliException("the event stream broke off: " + e.getMessage());
    }
    return 0;
  }

  private void print(JsonNode event) {
    Io io = common.io();
    switch (common.output) {
      case TABLE -> {
        String t = Output.table(COLUMNS, List.of(event));
        io.out().print(t.substring(t.indexOf('\n') + 1));
      }
      case JSON -> io.out().println(event.toString());
      case YAML -> io.out().print("---\n" + Output.yaml(event));
    }
    io.out().flush();
  }
}
