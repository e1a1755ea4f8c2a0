package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Images in the registries Berth knows: repositories, their tags, the newest tag. */
@Command(name = "images", description = "Browse repositories, their tags and the newest tag.")
final class ImagesCommand {

  @Command(
      name = "list",
      description = "Repositories of a registry (the default one without --registry).")
  int list(
      @Mixin Common common,
      @Option(names = "--registry") String registry,
      @Option(
              names = {"-q", "--query"},
              description = "only names containing this")
          String q) {
    Map<String, Object> filters = new LinkedHashMap<>();
    filters.put("registry", registry);
    filters.put("q", q);
    common.print(
        Pages.all(common.api(), "/api/v1/images", filters),
        List.of(new Column("REPOSITORY", Column::text)));
    return 0;
  }

  @Command(name = "tags", description = "Tags of a repository, newest first, with digest and size.")
  int tags(
      @Mixin Common common,
      @Parameters(paramLabel = "REPOSITORY") String repository,
      @Option(names = "--registry") String registry) {
    JsonNode answer = tagList(common, repository, registry);
    common.print(
        answer.path("tags"),
        List.of(
            new Column("TAG", t -> Column.text(t.path("tag"))),
            new Column(
                "NEWEST",
                t -> t.path("tag").asText().equals(answer.path("newest").asText()) ? "*" : ""),
            Column.of("DIGEST", "digest"),
            Column.of("SIZE", "size"),
            Column.of("CREATED", "created")));
    return 0;
  }

  @Command(
      name = "newest",
      description = "The newest tag of a repository (by the image's creation time).")
  int newest(
      @Mixin Common common,
      @Parameters(paramLabel = "REPOSITORY") String repository,
      @Option(names = "--registry") String registry) {
    JsonNode answer = tagList(common, repository, registry);
    if (!answer.path("newest").isTextual()) {
      throw new CliException("repository '" + repository + "' has no tags");
    }
    if (common.output == Format.TABLE) {
      common.io().out().println(answer.path("newest").asText());
    } else {
      common.print(answer, List.of());
    }
    return 0;
  }

  private static JsonNode tagList(Common common, String repository, String registry) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("registry", registry);
    q.put("repository", repository);
    return common.api().get("/api/v1/images/tags" + Api.query(q));
  }
}
