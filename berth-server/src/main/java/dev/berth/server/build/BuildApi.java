package dev.berth.server.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.build.BuildSpec;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * Image builds without Dockerfiles and the build templates they chain on. A build belongs to a team
 * ({@code ?team=}, or the multipart field {@code team}); permissions and the audit log are {@link
 * BuildOperations}'s.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(
    name = "builds",
    description =
        "Build layered OCI images from a spec (no Dockerfile) and push them; build templates chain os → runtime → app")
public class BuildApi {
  private final BuildOperations builds;
  private final ObjectMapper mapper;
  private final Clock clock;

  public BuildApi(BuildOperations builds, ObjectMapper mapper, Clock clock) {
    this.builds = builds;
    this.mapper = mapper;
    this.clock = clock;
  }

  @PostMapping(value = "/builds", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary =
          "Start a build from a JSON spec (files inline) in team ?team= (default: the caller's only team, else 'default');"
              + " it runs in the background: poll GET /api/v1/builds/{id}")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<BuildJson> create(
      @RequestBody BuildSpec spec, @RequestParam(required = false) String team) {
    return accepted(builds.submit(spec, Map.of(), team, "api"));
  }

  @PostMapping(value = "/builds", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @Operation(
      summary =
          "Start a build: the spec as part 'spec', each file or archive named by a 'source' as a part of that name, the team as field 'team'")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<BuildJson> createMultipart(MultipartHttpServletRequest request) {
    BuildSpec spec = JsonPart.read(request, "spec", BuildSpec.class, mapper);
    return accepted(
        builds.submit(
            spec, JsonPart.uploads(request, "spec"), request.getParameter("team"), "api"));
  }

  @GetMapping("/builds")
  @Operation(
      summary =
          "List the builds of the caller's teams and of templates, newest first, optionally those whose image contains q (without logs),"
              + " a page at a time (send 'next' as cursor)")
  public ListJson<BuildJson> list(
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size,
      @RequestParam(required = false) String q) {
    Instant now = clock.instant();
    return ListJson.of(
        builds.list(q, ListJson.page(cursor, page), size), b -> BuildJson.of(b, now));
  }

  @GetMapping("/builds/{id}")
  @Operation(
      summary =
          "A build: state (queued, running, succeeded, failed), digest, pinned image reference, duration, log and reason")
  public BuildJson get(@PathVariable long id) {
    return BuildJson.of(builds.get(id), clock.instant());
  }

  @GetMapping("/build-templates")
  @Operation(summary = "Build templates (every signed-in user may read and build on them)")
  public ListJson<TemplateJson> templates() {
    return ListJson.of(builds.templates().stream().map(t -> TemplateJson.of(t, null)).toList());
  }

  @PostMapping(value = "/build-templates", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary =
          "Create or replace a build template ({name, spec}) and build it (admins); templates based on it rebuild when its image changes")
  public ResponseEntity<TemplateJson> saveTemplate(@RequestBody TemplateJson body) {
    return saved(builds.saveTemplate(body.name(), body.spec(), Map.of()));
  }

  @PostMapping(value = "/build-templates", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @Operation(
      summary =
          "Create or replace a build template: {name, spec} as part 'template', uploads as parts named by the spec's sources")
  public ResponseEntity<TemplateJson> saveTemplateMultipart(MultipartHttpServletRequest request) {
    TemplateJson body = JsonPart.read(request, "template", TemplateJson.class, mapper);
    return saved(
        builds.saveTemplate(body.name(), body.spec(), JsonPart.uploads(request, "template")));
  }

  @GetMapping("/build-templates/{name}")
  @Operation(summary = "One build template")
  public TemplateJson template(@PathVariable String name) {
    return TemplateJson.of(builds.template(name), null);
  }

  @PostMapping("/build-templates/{name}/builds")
  @Operation(summary = "Rebuild a template from its stored spec and uploads (admins)")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<BuildJson> buildTemplate(@PathVariable String name) {
    return accepted(builds.buildTemplate(name));
  }

  @DeleteMapping("/build-templates/{name}")
  @Operation(
      summary =
          "Delete a template no other template is based on (409 otherwise; admins); pushed images stay")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public ResponseEntity<Void> deleteTemplate(@PathVariable String name) {
    builds.deleteTemplate(name);
    return ResponseEntity.noContent().build();
  }

  private ResponseEntity<BuildJson> accepted(Build build) {
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/builds/" + build.id()))
        .body(BuildJson.of(build, clock.instant()));
  }

  private ResponseEntity<TemplateJson> saved(BuildService.SavedTemplate saved) {
    TemplateJson json =
        TemplateJson.of(saved.template(), BuildJson.of(saved.build(), clock.instant()));
    URI location = URI.create("/api/v1/build-templates/" + saved.template().name());
    return saved.created()
        ? ResponseEntity.created(location).body(json)
        : ResponseEntity.ok().location(location).body(json);
  }
}
