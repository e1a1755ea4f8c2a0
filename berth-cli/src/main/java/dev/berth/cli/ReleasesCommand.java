package dev.berth.cli;

import static dev.berth.cli.Api.seg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Releases of an app: start, watch, promote, pause, resume, abort, roll back. */
@Command(
    name = "releases",
    description = "Start, watch and steer the releases of an app.",
    subcommands = ReleaseWatch.class)
final class ReleasesCommand {
  static final List<Column> COLUMNS =
      List.of(
          Column.of("ID", "id"),
          Column.of("APP", "app"),
          Column.of("STATE", "state"),
          Column.of("REASON", "reason"),
          new Column(
              "REVISIONS",
              r -> r.path("fromRevision").asText() + "->" + r.path("toRevision").asText()),
          new Column("BATCH", r -> r.path("batch").asText() + "/" + r.path("batchCount").asText()),
          Column.of("MESSAGE", "message"));

  @Command(name = "list", description = "The app's releases, newest first.")
  int list(@Mixin Common common, @Parameters(paramLabel = "APP") String app) {
    common.print(common.api().get(base(app) + "/releases"), COLUMNS);
    return 0;
  }

  @Command(
      name = "get",
      description = "One release (the current one without ID): batches and instances.")
  int get(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "ID", index = "1", arity = "0..1") Long id) {
    Api api = common.api();
    common.print(api.get(base(app) + "/releases/" + id(api, app, id)), COLUMNS);
    return 0;
  }

  @Command(
      name = "start",
      description = "Release a new image or an earlier revision, batch after batch.")
  int start(
      @Mixin Common common,
      @Parameters(paramLabel = "APP") String app,
      @Option(names = "--image") String image,
      @Option(names = "--revision") Long revision,
      @Option(names = "--bastion", description = "instances in the first batch") Integer bastion,
      @Option(names = "--batches", description = "the rest in this many batches") Integer batches,
      @Option(names = "--manual", description = "pause after each batch until promoted")
          boolean manual,
      @Option(names = "--all-at-once", description = "replace every instance at once")
          boolean allAtOnce) {
    if ((image == null) == (revision == null)) {
      throw new CliException("name exactly one of --image IMAGE or --revision N");
    }
    ObjectNode body = Api.JSON.createObjectNode();
    if (image != null) {
      body.put("image", image);
    } else {
      body.put("revision", revision);
    }
    strategy(body, bastion, batches, manual, allAtOnce);
    JsonNode release = common.api().post(base(app) + "/releases", body);
    common.done(release, started(release));
    return 0;
  }

  @Command(name = "promote", description = "Start the next batch of a release awaiting promotion.")
  int promote(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "ID", index = "1", arity = "0..1") Long id) {
    return control(common, app, id, "promote", "promoted");
  }

  @Command(name = "pause", description = "Hold a release where it is.")
  int pause(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "ID", index = "1", arity = "0..1") Long id) {
    return control(common, app, id, "pause", "paused");
  }

  @Command(name = "resume", description = "Go on with a paused release.")
  int resume(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "ID", index = "1", arity = "0..1") Long id) {
    return control(common, app, id, "resume", "resumed");
  }

  @Command(
      name = "abort",
      description = "Return every instance the release updated to the stable revision.")
  int abort(
      @Mixin Common common,
      @Parameters(paramLabel = "APP", index = "0") String app,
      @Parameters(paramLabel = "ID", index = "1", arity = "0..1") Long id) {
    return control(common, app, id, "abort", "aborted");
  }

  @Command(name = "rollback", description = "A new release of revision N's spec.")
  int rollback(
      @Mixin Common common,
      @Parameters(paramLabel = "APP") String app,
      @Option(
              names = "--to",
              required = true,
              paramLabel = "N",
              description = "the revision to go back to")
          long to,
      @Option(names = "--all-at-once", description = "replace every instance at once")
          boolean allAtOnce) {
    ObjectNode body = Api.JSON.createObjectNode().put("revision", to);
    strategy(body, null, null, false, allAtOnce);
    JsonNode release = common.api().post(base(app) + "/rollback", body);
    common.done(release, started(release));
    return 0;
  }

  static String base(String app) {
    return "/api/v1/apps/" + seg(app);
  }

  /** The given release id, or the app's current (or last) release. */
  static long id(Api api, String app, Long id) {
    if (id != null) {
      return id;
    }
    JsonNode release = api.get(base(app)).path("release");
    if (!release.has("id")) {
      throw new CliException("app '" + app + "' has had no release yet");
    }
    return release.path("id").asLong();
  }

  private static int control(Common common, String app, Long id, String action, String done) {
    Api api = common.api();
    long n = id(api, app, id);
    JsonNode release = api.post(base(app) + "/releases/" + n + "/" + action, Map.of());
    common.done(
        release,
        "release " + n + " of '" + app + "' " + done + ": " + release.path("state").asText());
    return 0;
  }

  private static String started(JsonNode r) {
    return "release "
        + r.path("id").asText()
        + " of '"
        + r.path("app").asText()
        + "' started: revision "
        + r.path("fromRevision").asText()
        + " -> "
        + r.path("toRevision").asText();
  }

  private static void strategy(
      ObjectNode body, Integer bastion, Integer batches, boolean manual, boolean allAtOnce) {
    if (allAtOnce) {
      body.put("strategy", "all-at-once");
      return;
    }
    if (bastion == null && batches == null && !manual) {
      return;
    }
    ObjectNode s = body.putObject("strategy");
    if (bastion != null) {
      s.put("bastion", bastion);
    }
    if (batches != null) {
      s.putObject("batches").put("count", batches);
    }
    if (manual) {
      s.put("promotion", "manual");
    }
  }
}
