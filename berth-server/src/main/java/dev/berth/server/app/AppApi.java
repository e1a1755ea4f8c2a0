package dev.berth.server.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.app.App;
import dev.berth.core.app.QosClass;
import dev.berth.core.app.Revision;
import dev.berth.core.release.ReleaseStore;
import dev.berth.core.support.ValidationException;
import dev.berth.server.web.ListJson;
import dev.berth.server.web.LogOptions;
import dev.berth.server.web.LogResponses;
import dev.berth.server.web.MergePatch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Applications, their revisions and instances. */
@RestController
@RequestMapping("/api/v1/apps")
@Tag(name = "apps", description = "Applications, revisions, instances and their logs")
public class AppApi {
  private final AppOperations apps;
  private final ObjectMapper json;
  private final Clock clock;
  private final ReleaseStore releases;

  public AppApi(AppOperations apps, ObjectMapper json, Clock clock, ReleaseStore releases) {
    this.apps = apps;
    this.json = json;
    this.clock = clock;
    this.releases = releases;
  }

  @GetMapping
  @Operation(
      summary =
          "List applications, a page at a time (send 'next' as cursor), optionally filtered by a name fragment")
  public ListJson<AppJson> list(
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size,
      @RequestParam(required = false) String q) {
    return ListJson.of(apps.list(q, ListJson.page(cursor, page), size), AppJson::of);
  }

  @PostMapping
  @Operation(
      summary =
          "Create an application in a team the caller may deploy to (team 'default' when none is given); its instances start in the background")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<AppJson> create(@RequestBody AppJson body) {
    App app = apps.create(body.toRequest());
    return ResponseEntity.created(URI.create("/api/v1/apps/" + app.name())).body(AppJson.of(app));
  }

  @GetMapping("/{app}")
  @Operation(
      summary =
          "One application with its spec, status, version (also its ETag) and its current or last release in brief")
  public ResponseEntity<AppJson> get(@PathVariable String app) {
    App found = apps.get(app);
    AppJson.ReleaseSummary release =
        releases.latest(app).map(AppJson.ReleaseSummary::of).orElse(null);
    return ResponseEntity.ok()
        .eTag(AppVersions.etag(found))
        .body(AppJson.of(found).withRelease(release));
  }

  @PutMapping("/{app}")
  @Operation(
      summary =
          "Replace the whole spec: fields left out take their defaults. Needs the version read before (in the body or as If-Match):"
              + " 428 without it, 409 (body) or 412 (If-Match) when someone changed the app since. A changed spec becomes a new revision,"
              + " rolled out one instance at a time. To change single fields (such as the image) use PATCH."
              + " Taking a production app to zero instances needs confirm=<app name>")
  public ResponseEntity<AppJson> update(
      @PathVariable String app,
      @RequestBody AppJson body,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @RequestParam(required = false) String confirm) {
    App current = apps.get(app);
    Long version = AppVersions.basedOn(current, body.version(), ifMatch, true);
    return withEtag(apps.update(app, body.withVersion(version).toRequest(), confirm));
  }

  @PatchMapping(
      value = "/{app}",
      consumes = {MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON_VALUE})
  @Operation(
      summary =
          "Change single fields (JSON Merge Patch, RFC 7396): fields not named stay, null removes a field (it takes its default),"
              + " objects merge, arrays replace. The result is checked like a PUT; a changed spec becomes a new revision."
              + " {\"image\": ...} alone is a release, which operators may do. version (or If-Match) is optional")
  public ResponseEntity<AppJson> patch(
      @PathVariable String app,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              description = "The fields to change (JSON Merge Patch)",
              content =
                  @Content(
                      mediaType = MergePatch.MEDIA_TYPE,
                      schema =
                          @Schema(
                              type = "object",
                              additionalProperties = Schema.AdditionalPropertiesValue.TRUE),
                      examples =
                          @ExampleObject(
                              name = "release",
                              summary = "a new image, nothing else changes",
                              value = "{\"image\": \"registry.example.com/shop/web:2\"}")))
          @RequestBody
          JsonNode patch,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @RequestParam(required = false) String confirm)
      throws JsonProcessingException {
    if (patch == null || !patch.isObject()) {
      throw ValidationException.of(
          "body",
          "must be a JSON object naming the fields to change, such as {\"image\": \"registry/app:2\"}");
    }
    App current = apps.get(app);
    JsonNode merged = MergePatch.apply(json.valueToTree(AppJson.of(current)), patch);
    AppJson body = json.treeToValue(merged, AppJson.class);
    Long version =
        AppVersions.basedOn(
            current, patch.hasNonNull("version") ? body.version() : null, ifMatch, false);
    return withEtag(
        apps.update(
            app,
            body.withVersion(version != null ? version : current.version()).toRequest(),
            confirm));
  }

  private static ResponseEntity<AppJson> withEtag(App app) {
    return ResponseEntity.ok().eTag(AppVersions.etag(app)).body(AppJson.of(app));
  }

  /**
   * The body of a scale request; {@code confirm} (or the query parameter) is the app's name when a
   * production app goes to zero.
   */
  public record ScaleJson(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "3") Integer instances,
      Long version,
      String confirm) {}

  @PostMapping("/{app}/scale")
  @Operation(
      summary =
          "Change the number of instances; a production app (team or cluster) goes to zero only with confirm=<app name>")
  public AppJson scale(
      @PathVariable String app,
      @RequestBody ScaleJson body,
      @RequestParam(required = false) String confirm) {
    return AppJson.of(
        apps.scale(
            app, body.instances(), body.version(), confirm != null ? confirm : body.confirm()));
  }

  @DeleteMapping("/{app}")
  @Operation(
      summary =
          "Delete an application: instances stop gracefully, then the record goes. Needs confirm=<app name>")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<AppJson> delete(
      @PathVariable String app, @RequestParam(required = false) String confirm) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(AppJson.of(apps.delete(app, confirm)));
  }

  @GetMapping("/{app}/revisions")
  @Operation(summary = "The app's revisions, newest first: each spec it had and who made it")
  public ListJson<Revision> revisions(@PathVariable String app) {
    return ListJson.of(apps.revisions(app).reversed());
  }

  @GetMapping("/{app}/instances")
  @Operation(summary = "The app's instances with state, readiness, IP, node, revision and restarts")
  public ListJson<InstanceJson> instances(@PathVariable String app) {
    Map<Long, QosClass> qos = new HashMap<>();
    apps.revisions(app).forEach(r -> qos.put(r.number(), r.spec().resources().qosClass()));
    return ListJson.of(
        apps.instances(app).stream().map(i -> InstanceJson.of(i, qos.get(i.revision()))).toList());
  }

  /** What an instance action started: {@code replaced} (deletes only) is a JSON boolean. */
  public record InstanceActionJson(String instance, Boolean replaced, String message) {}

  @DeleteMapping("/{app}/instances/{id}")
  @Operation(summary = "Delete one chosen instance, replaced by a fresh one (replace=true) or not")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<InstanceActionJson> deleteInstance(
      @PathVariable String app,
      @PathVariable String id,
      @RequestParam(defaultValue = "true") boolean replace,
      @RequestParam(required = false) String confirm) {
    String message = apps.deleteInstance(app, id, replace, confirm);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(new InstanceActionJson(id, replace, message));
  }

  @PostMapping("/{app}/instances/{id}/restart")
  @Operation(summary = "Restart one instance gracefully, keeping its identity and filesystem")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<InstanceActionJson> restart(
      @PathVariable String app, @PathVariable String id) {
    apps.restartInstance(app, id);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(new InstanceActionJson(id, null, "restarting " + id));
  }

  @GetMapping(value = "/{app}/instances/{id}/logs", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(
      summary =
          "Console log of an instance: lines since `since`, of those the last `tail`, then new lines with follow=true;"
              + " timestamps=true prefixes each line with its RFC 3339 time, streams=true with stdout or stderr")
  public ResponseEntity<StreamingResponseBody> logs(
      @PathVariable String app,
      @PathVariable String id,
      @RequestParam(defaultValue = "-1") int tail,
      @Parameter(
              description =
                  "an RFC 3339 time (2026-03-01T10:00:00Z) or a duration back from now (90s, 5m, 1h30m)")
          @RequestParam(required = false)
          String since,
      @RequestParam(defaultValue = "false") boolean follow,
      @RequestParam(defaultValue = "false") boolean timestamps,
      @RequestParam(defaultValue = "false") boolean streams) {
    LogOptions options =
        LogOptions.parse(tail, since, follow, timestamps, streams, clock.instant());
    return LogResponses.of(apps.logs(app, id, options.query()), options);
  }

  @GetMapping(value = "/{app}/logs", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(
      summary =
          "Console logs of every instance of an application merged by time, each line starting with its instance's name;"
              + " the same options as an instance's log; following covers the instances running when it starts")
  public ResponseEntity<StreamingResponseBody> appLogs(
      @PathVariable String app,
      @RequestParam(defaultValue = "-1") int tail,
      @Parameter(
              description =
                  "an RFC 3339 time (2026-03-01T10:00:00Z) or a duration back from now (90s, 5m, 1h30m)")
          @RequestParam(required = false)
          String since,
      @RequestParam(defaultValue = "false") boolean follow,
      @RequestParam(defaultValue = "false") boolean timestamps,
      @RequestParam(defaultValue = "false") boolean streams) {
    LogOptions options =
        LogOptions.parse(tail, since, follow, timestamps, streams, clock.instant());
    return LogResponses.of(apps.appLogs(app, options.query()), options);
  }
}
