package dev.berth.server.image;

import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Repositories per team: {@code GET /registries/{name}/repository-teams} lists a registry's
 * prefixes and their teams (everyone signed in); {@code POST} gives a prefix to a team and {@code
 * DELETE ?prefix=} makes it shared again (admins, audited).
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "registries", description = "Image registries Berth browses and replicates between")
public class RepositoryTeamApi {
  private final RepositoryTeamOperations repositoryTeams;

  public RepositoryTeamApi(RepositoryTeamOperations repositoryTeams) {
    this.repositoryTeams = repositoryTeams;
  }

  /** The body of {@code POST /registries/{name}/repository-teams}. */
  public record RepositoryTeamJson(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "shop/") String prefix,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "shop") String team) {}

  @GetMapping("/registries/{name}/repository-teams")
  @Operation(summary = "The repository prefixes of a registry and the team each belongs to")
  public ListJson<RepositoryTeam> list(@PathVariable String name) {
    return ListJson.of(repositoryTeams.list(name));
  }

  @PostMapping("/registries/{name}/repository-teams")
  @Operation(
      summary =
          "Give a registry's repositories under a prefix to a team (admins): its members see them, its builds push there")
  public ResponseEntity<RepositoryTeam> add(
      @PathVariable String name, @RequestBody RepositoryTeamJson body) {
    RepositoryTeam m = repositoryTeams.add(name, body.prefix(), body.team());
    return ResponseEntity.created(
            URI.create("/api/v1/registries/" + name + "/repository-teams?prefix=" + m.prefix()))
        .body(m);
  }

  @DeleteMapping("/registries/{name}/repository-teams")
  @Operation(
      summary = "Make the repositories under a prefix shared again (admins); the images stay")
  public ResponseEntity<Void> remove(
      @PathVariable String name,
      @Parameter(required = true, example = "shop/") @RequestParam String prefix) {
    repositoryTeams.remove(name, prefix);
    return ResponseEntity.noContent().build();
  }
}
