package dev.berth.server.image;

import dev.berth.core.support.ValidationException;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpStatus;
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

/**
 * Replication rules, their jobs, a sync by hand, and the notification endpoint registries call on a
 * push ({@code POST /registries/{name}/events}: the CNCF distribution envelope or Harbor's webhook,
 * authenticated with a Berth API token in the {@code Authorization} header the registry sends, of a
 * user holding {@code registry.notify}). Permissions and the audit log: {@link ImageOperations}.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(
    name = "replications",
    description = "Copy images between registries on push and by periodic sync")
public class ReplicationApi {
  private final ImageOperations images;

  public ReplicationApi(ImageOperations images) {
    this.images = images;
  }

  /** The body of {@code POST /replications}. */
  public record RuleJson(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "to-dc2") String name,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "dc1") String sourceRegistry,
      @Schema(example = "team-a/*") String filter,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<ReplicationRule.Target> targets,
      Boolean enabled) {}

  @GetMapping("/replications")
  @Operation(summary = "Replication rules")
  public ListJson<ReplicationRule> rules() {
    return ListJson.of(images.rules());
  }

  @GetMapping("/replications/{name}")
  @Operation(summary = "One replication rule")
  public ReplicationRule rule(@PathVariable String name) {
    return images.rule(name);
  }

  @PostMapping("/replications")
  @Operation(
      summary =
          "Create a rule: repositories of a source registry matching a glob, copied to target registries")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<ReplicationRule> create(@RequestBody RuleJson body) {
    ReplicationRule r =
        images.createRule(
            body.name(), body.sourceRegistry(), body.filter(), body.targets(), body.enabled());
    return ResponseEntity.created(URI.create("/api/v1/replications/" + r.name())).body(r);
  }

  @DeleteMapping("/replications/{name}")
  @Operation(summary = "Delete a rule and its job records (images already copied stay)")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public ResponseEntity<Void> delete(@PathVariable String name) {
    images.deleteRule(name);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/replications/{name}/jobs")
  @Operation(summary = "Jobs of a rule, newest first, a page at a time (send 'next' as cursor)")
  public ListJson<ReplicationJob> jobs(
      @PathVariable String name,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer size,
      @Parameter(deprecated = true, description = "the former name of cursor")
          @RequestParam(required = false)
          String before,
      @Parameter(deprecated = true, description = "the former name of size")
          @RequestParam(required = false)
          Integer limit) {
    int n = size != null ? size : limit != null ? limit : 50;
    String field = size != null || limit == null ? "size" : "limit";
    if (n < 1 || n > 1000) {
      throw ValidationException.of(field, "must be between 1 and 1000, was " + n);
    }
    String from = cursor != null ? cursor : before;
    Instant b = null;
    if (from != null && !from.isBlank()) {
      try {
        b = Instant.parse(from);
      } catch (DateTimeParseException e) {
        throw ValidationException.of(
            cursor != null ? "cursor" : "before",
            "must be the 'next' value of a previous answer (an RFC 3339 time), was '" + from + "'");
      }
    }
    List<ReplicationJob> jobs = images.jobs(name, b, n);
    return new ListJson<>(
        jobs, jobs.size() == n ? jobs.getLast().startedAt().toString() : null, null);
  }

  @PostMapping("/replications/{name}/sync")
  @Operation(summary = "Copy now whatever the rule's targets lack; answers when done")
  public Replications.SyncSummary sync(@PathVariable String name) {
    return images.sync(name);
  }

  @PostMapping(value = "/registries/{name}/events", consumes = "*/*")
  @Operation(
      summary =
          "Push notifications of a registry (CNCF distribution envelope or Harbor webhook); copies start at once")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ResponseEntity<Replications.Accepted> events(
      @PathVariable String name, @RequestBody(required = false) byte[] body) {
    if (body == null || body.length == 0) {
      throw ValidationException.of("body", "is empty; send the registry's notification JSON");
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(images.notification(name, body));
  }
}
