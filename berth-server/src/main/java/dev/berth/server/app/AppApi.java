package dev.berth.server.app;

import dev.berth.core.app.App;
import dev.berth.core.app.Revision;
import dev.berth.core.support.Page;
import dev.berth.server.web.LogOptions;
import dev.berth.server.web.LogResponses;
import dev.berth.server.web.PageJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Applications, their revisions and instances: DESIGN §6. */
@RestController
@RequestMapping("/api/v1/apps")
@Tag(name = "apps", description = "Applications, revisions, instances and their logs")
public class AppApi {
  private final AppOperations apps;
  private final Clock clock;

  public AppApi(AppOperations apps, Clock clock) {
    this.apps = apps;
    this.clock = clock;
  }

  @GetMapping
  @Operation(summary = "List applications, paged, optionally filtered by a name fragment")
  public PageJson<AppJson> list(
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size,
      @RequestParam(required = false) String q) {
    Page<App> p = apps.list(q, page, size);
    return new PageJson<>(p.items().stream().map(AppJson::of).toList(), p.page(), p.size(), p.total());
  }

  @PostMapping
  @Operation(summary = "Create an application in a team the caller may deploy to (team 'default' when none is given); its instances start in the background")
  public ResponseEntity<AppJson> create(@RequestBody AppJson body) {
    App app = apps.create(body.toRequest());
    return ResponseEntity.created(URI.create("/api/v1/apps/" + app.name())).body(AppJson.of(app));
  }

  @GetMapping("/{app}")
  public AppJson get(@PathVariable String app) {
    return AppJson.of(apps.get(app));
  }

  @PutMapping("/{app}")
  @Operation(summary = "Replace the spec: a changed spec becomes a new revision, rolled out one instance at a time."
      + " Taking a production app to zero instances needs confirm=<app name>")
  public AppJson update(@PathVariable String app, @RequestBody AppJson body, @RequestParam(required = false) String confirm) {
    return AppJson.of(apps.update(app, body.toRequest(), confirm));
  }

  /** The body of a scale request; {@code confirm} (or the query parameter) is the app's name when a production app goes to zero. */
  public record ScaleJson(Integer instances, Long version, String confirm) {}

  @PostMapping("/{app}/scale")
  @Operation(summary = "Change the number of instances; a production app (team or cluster) goes to zero only with confirm=<app name>")
  public AppJson scale(@PathVariable String app, @RequestBody ScaleJson body, @RequestParam(required = false) String confirm) {
    return AppJson.of(apps.scale(app, body.instances(), body.version(), confirm != null ? confirm : body.confirm()));
  }

  @DeleteMapping("/{app}")
  @Operation(summary = "Delete an application: instances stop gracefully, then the record goes. Needs confirm=<app name>")
  public ResponseEntity<AppJson> delete(@PathVariable String app, @RequestParam(required = false) String confirm) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(AppJson.of(apps.delete(app, confirm)));
  }

  @GetMapping("/{app}/revisions")
  public List<Revision> revisions(@PathVariable String app) {
    return apps.revisions(app).reversed();
  }

  @GetMapping("/{app}/instances")
  public List<InstanceJson> instances(@PathVariable String app) {
    return apps.instances(app).stream().map(InstanceJson::of).toList();
  }

  @DeleteMapping("/{app}/instances/{id}")
  @Operation(summary = "Delete one chosen instance, replaced by a fresh one (replace=true) or not")
  public ResponseEntity<Map<String, String>> deleteInstance(
      @PathVariable String app, @PathVariable String id, @RequestParam(defaultValue = "true") boolean replace,
      @RequestParam(required = false) String confirm) {
    String message = apps.deleteInstance(app, id, replace, confirm);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("instance", id, "replaced", Boolean.toString(replace), "message", message));
  }

  @PostMapping("/{app}/instances/{id}/restart")
  @Operation(summary = "Restart one instance gracefully, keeping its identity and filesystem")
  public ResponseEntity<Map<String, String>> restart(@PathVariable String app, @PathVariable String id) {
    apps.restartInstance(app, id);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("instance", id, "message", "restarting " + id));
  }

  @GetMapping(value = "/{app}/instances/{id}/logs", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(summary = "Console log of an instance: lines since `since`, of those the last `tail`, then new lines with follow=true;"
      + " timestamps=true prefixes each line with its RFC 3339 time, streams=true with stdout or stderr")
  public ResponseEntity<StreamingResponseBody> logs(
      @PathVariable String app,
      @PathVariable String id,
      @RequestParam(defaultValue = "-1") int tail,
      @Parameter(description = "an RFC 3339 time (2026-03-01T10:00:00Z) or a duration back from now (90s, 5m, 1h30m)") @RequestParam(required = false) String since,
      @RequestParam(defaultValue = "false") boolean follow,
      @RequestParam(defaultValue = "false") boolean timestamps,
      @RequestParam(defaultValue = "false") boolean streams) {
    LogOptions options = LogOptions.parse(tail, since, follow, timestamps, streams, clock.instant());
    return LogResponses.of(apps.logs(app, id, options.query()), options);
  }

  @GetMapping(value = "/{app}/logs", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(summary = "Console logs of every instance of an application merged by time, each line starting with its instance's name;"
      + " the same options as an instance's log; following covers the instances running when it starts")
  public ResponseEntity<StreamingResponseBody> appLogs(
      @PathVariable String app,
      @RequestParam(defaultValue = "-1") int tail,
      @Parameter(description = "an RFC 3339 time (2026-03-01T10:00:00Z) or a duration back from now (90s, 5m, 1h30m)") @RequestParam(required = false) String since,
      @RequestParam(defaultValue = "false") boolean follow,
      @RequestParam(defaultValue = "false") boolean timestamps,
      @RequestParam(defaultValue = "false") boolean streams) {
    LogOptions options = LogOptions.parse(tail, since, follow, timestamps, streams, clock.instant());
    return LogResponses.of(apps.appLogs(app, options.query()), options);
  }
}
