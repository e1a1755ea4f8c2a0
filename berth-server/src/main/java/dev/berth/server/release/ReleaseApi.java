package dev.berth.server.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.app.AppSpec;
import dev.berth.core.release.Release;
import dev.berth.core.release.ReleaseRequest;
import dev.berth.core.release.ReleaseStrategy;
import dev.berth.core.support.ValidationException;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Releases of an application: start one, list them, look at one with its batches and instances, and
 * the controls (promote, pause, resume, abort, rollback).
 */
@RestController
@RequestMapping("/api/v1/apps/{app}")
@Tag(name = "releases", description = "Releases: batches, promotion, pause, abort, rollback")
public class ReleaseApi {
  private final ReleaseOperations releases;
  private final ObjectMapper json;

  public ReleaseApi(ReleaseOperations releases, ObjectMapper json) {
    this.releases = releases;
    this.json = json;
  }

  /**
   * What to release (one of {@code revision}, {@code image}, {@code spec}) and how ({@code
   * strategy}: an object, or {@code "all-at-once"}; the app's default when left out).
   */
  public record StartJson(
      @Schema(example = "3", description = "an existing revision whose spec to release")
          Long revision,
      @Schema(
              example = "registry.example.com/shop/web:2",
              description = "the current spec with this image")
          String image,
      @Schema(description = "a whole new spec (the app's fields without name, team, instances)")
          AppSpec spec,
      @Schema(
              description =
                  "bastion, batches {count|size|percentages}, promotion manual|auto, soakSeconds,"
                      + " maxUnavailable, batchDeadlineSeconds, onFailure pause|fail, first; or \"all-at-once\"",
              example = "{\"bastion\": 1, \"batches\": {\"count\": 2}, \"promotion\": \"manual\"}")
          JsonNode strategy) {}

  /** A rollback: the revision to go back to, and optionally how. */
  public record RollbackJson(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "1") Long revision,
      @Schema(
              description =
                  "a strategy object, or \"all-at-once\"; the app's default when left out")
          JsonNode strategy) {}

  @PostMapping("/releases")
  @Operation(
      summary =
          "Start a release of an existing revision, a new image or a new spec, by a strategy (the app's default when"
              + " left out). A release already in progress is superseded: the new one keeps its stable revision and"
              + " takes the instances it had moved first")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<ReleaseJson> start(@PathVariable String app, @RequestBody StartJson body) {
    int instances = releases.instances(app).size();
    Release r =
        releases.start(
            app,
            new ReleaseRequest(
                body.revision(), body.spec(), body.image(), strategy(body.strategy(), instances)));
    return ResponseEntity.created(URI.create("/api/v1/apps/" + app + "/releases/" + r.id()))
        .body(ReleaseJson.of(r));
  }

  @GetMapping("/releases")
  @Operation(summary = "The app's releases, newest first, a page at a time")
  public ListJson<ReleaseJson> list(
      @PathVariable String app,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return ListJson.of(releases.list(app, ListJson.page(cursor, page), size), ReleaseJson::of);
  }

  @GetMapping("/releases/{id}")
  @Operation(
      summary =
          "One release with its batches (targets, times, durations) and every instance (revision, ready, IP, node,"
              + " phase in the release) and, on Kubernetes, the StatefulSet's own status (workload)")
  public ReleaseJson get(@PathVariable String app, @PathVariable long id) {
    return ReleaseJson.of(
        releases.get(app, id), releases.instances(app), releases.workloadStatus(app).orElse(null));
  }

  @PostMapping("/releases/{id}/promote")
  @Operation(
      summary = "Go on with the next batch of a release paused awaiting promotion (409 otherwise)")
  public ReleaseJson promote(@PathVariable String app, @PathVariable long id) {
    return ReleaseJson.of(releases.promote(app, id));
  }

  @PostMapping("/releases/{id}/pause")
  @Operation(
      summary =
          "Hold a progressing release: instances being replaced finish, no new ones are taken (409 when not progressing)")
  public ReleaseJson pause(@PathVariable String app, @PathVariable long id) {
    return ReleaseJson.of(releases.pause(app, id));
  }

  @PostMapping("/releases/{id}/resume")
  @Operation(
      summary =
          "Go on with the current batch of a paused release; its deadline starts again (409 when not paused, or when"
              + " it awaits promotion)")
  public ReleaseJson resume(@PathVariable String app, @PathVariable long id) {
    return ReleaseJson.of(releases.resume(app, id));
  }

  @PostMapping("/releases/{id}/abort")
  @Operation(
      summary =
          "Stop a release and return every instance it updated to the from-revision (the app's spec points back at it);"
              + " the release settles in aborted once they run it (409 when it is not progressing or paused)")
  public ReleaseJson abort(@PathVariable String app, @PathVariable long id) {
    return ReleaseJson.of(releases.abort(app, id));
  }

  @PostMapping("/rollback")
  @Operation(
      summary =
          "A new release to an earlier revision's spec (a new revision with that spec) through the batch plan, or"
              + " every instance at once with \"strategy\": \"all-at-once\"")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<ReleaseJson> rollback(
      @PathVariable String app, @RequestBody RollbackJson body) {
    if (body.revision() == null) {
      throw ValidationException.of(
          "revision", "is required: the revision to go back to, such as 1");
    }
    int instances = releases.instances(app).size();
    Release r = releases.rollback(app, body.revision(), strategy(body.strategy(), instances));
    return ResponseEntity.status(HttpStatus.CREATED)
        .location(URI.create("/api/v1/apps/" + app + "/releases/" + r.id()))
        .body(ReleaseJson.of(r));
  }

  @GetMapping("/release-strategy")
  @Operation(summary = "The strategy every spec change of the app (PUT, PATCH) is released with")
  public ReleaseStrategy defaultStrategy(@PathVariable String app) {
    return releases.defaultStrategy(app);
  }

  @PutMapping("/release-strategy")
  @Operation(summary = "Set the strategy every later spec change of the app is released with")
  public ReleaseStrategy setDefaultStrategy(
      @PathVariable String app, @RequestBody ReleaseStrategy strategy) {
    return releases.setDefaultStrategy(app, strategy);
  }

  private ReleaseStrategy strategy(JsonNode node, int instances) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      if (node.asText().equals("all-at-once")) {
        return ReleaseStrategy.allAtOnce(instances);
      }
      throw ValidationException.of(
          "strategy",
          "is \"all-at-once\" or an object such as {\"bastion\": 1, \"batches\": {\"count\": 2}}");
    }
    try {
      return json.treeToValue(node, ReleaseStrategy.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw ValidationException.of(
          "strategy",
          "does not read as a strategy ("
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())
              + "); fields: bastion, batches {count|size|percentages}, promotion manual|auto, soakSeconds,"
              + " maxUnavailable, batchDeadlineSeconds, onFailure pause|fail, first");
    }
  }
}
