package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Follows a release until it stops, printing each change, and exits with a code that says how it
 * stopped (see {@link WatchOutcome}). It reads the release's events from the event stream and the
 * release again on each, so it reacts at once and never polls.
 */
@Command(
    name = "watch",
    description = "Follow a release until it stops.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      " 0:succeeded",
      "10:paused, awaiting promotion",
      "11:paused by hand",
      "20:aborted",
      "30:failed, or paused by a failing batch",
      "40:superseded by a newer release",
      " 1:an error"
    })
final class ReleaseWatch implements Callable<Integer> {
  @Mixin Common common;

  @Parameters(paramLabel = "APP", index = "0")
  String app;

  @Parameters(paramLabel = "ID", index = "1", arity = "0..1")
  Long id;

  private String shown = "";

  @Override
  public Integer call() {
    Api api = common.api();
    long n = ReleasesCommand.id(api, app, id);
    String path = ReleasesCommand.base(app) + "/releases/" + n;
    String events =
        "/api/v1/events/stream" + Api.query(java.util.Map.of("object", "release/" + app + "." + n));
    while (true) {
      // subscribe first, then read the release: no transition falls between the two
      try (InputStream stream = api.stream(events);
          BufferedReader lines =
              new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        OptionalInt code = check(api.get(path));
        for (String line = lines.readLine();
            code.isEmpty() && line != null;
            line = lines.readLine()) {
          if (line.startsWith("data:")) {
            code = check(api.get(path));
          }
        }
        if (code.isPresent()) {
          return code.getAsInt();
        }
      } catch (IOException e) {
        common
            .io()
            .err()
            .println("berth: the event stream broke off (" + e.getMessage() + "); reconnecting");
      }
    }
  }

  private OptionalInt check(JsonNode release) {
    String state = release.path("state").asText();
    String reason = release.path("reason").isTextual() ? release.path("reason").asText() : null;
    OptionalInt code = WatchOutcome.exitCode(state, reason);
    String line = Output.table(ReleasesCommand.COLUMNS, List.of(release));
    String row = line.substring(line.indexOf('\n') + 1);
    if (common.output == Format.TABLE && !row.equals(shown)) {
      common.io().out().print(shown.isEmpty() ? line : row);
      shown = row;
    }
    if (code.isPresent() && common.output != Format.TABLE) {
      common.print(release, ReleasesCommand.COLUMNS);
    }
    return code;
  }
}
