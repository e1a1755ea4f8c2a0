package dev.berth.server.pipeline;

import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
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
 * Pipelines: environments in order, each an app; promote the exact image digest of one
 * environment's last succeeded release into the next, approve or reject promotions that wait.
 */
@RestController
@RequestMapping("/api/v1/pipelines")
@Tag(name = "pipelines", description = "Environments in order and promotions between them")
public class PipelineApi {
  private final PipelineOperations pipelines;
  private final Promotions promotions;
  private final PipelineViews views;

  public PipelineApi(PipelineOperations pipelines, Promotions promotions, PipelineViews views) {
    this.pipelines = pipelines;
    this.promotions = promotions;
    this.views = views;
  }

  /** A new pipeline. */
  public record NewPipelineJson(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "web") String name,
      @Schema(example = "shop", description = "the team that owns the pipeline; default: default")
          String team,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              description = "two or more environments in promotion order")
          List<Pipeline.Environment> environments) {}

  /** Where to promote from. */
  public record PromoteJson(
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              example = "test",
              description = "the environment whose last succeeded release goes to the next one")
          String from) {}

  @PostMapping
  @Operation(
      summary =
          "Create a pipeline: environments in order, each an existing app (its own cluster and team);"
              + " an environment with requiresApproval waits for an operator or owner of its app's team")
  public ResponseEntity<PipelineJson> create(@RequestBody NewPipelineJson body) {
    Pipeline p =
        pipelines.create(
            new PipelineOperations.NewPipeline(body.name(), body.team(), body.environments()));
    return ResponseEntity.created(URI.create("/api/v1/pipelines/" + p.name()))
        .body(views.view(p, false));
  }

  @GetMapping
  @Operation(summary = "The pipelines the caller may read, by name")
  public ListJson<PipelineJson> list() {
    return ListJson.of(pipelines.list().stream().map(p -> views.view(p, false)).toList());
  }

  @GetMapping("/{pipeline}")
  @Operation(
      summary =
          "One pipeline with each environment's app, image, image digest and last succeeded release")
  public PipelineJson get(@PathVariable String pipeline) {
    return views.view(pipelines.get(pipeline), true);
  }

  @DeleteMapping("/{pipeline}")
  @Operation(summary = "Delete a pipeline and its promotions (the apps stay)")
  public ResponseEntity<Void> delete(@PathVariable String pipeline) {
    pipelines.delete(pipeline);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/{pipeline}/promote")
  @Operation(
      summary =
          "Promote the image of the last succeeded release in environment `from`, pinned to its digest,"
              + " into the next environment's app as a release with that app's default strategy; when"
              + " that environment requires approval the promotion waits (awaiting-approval)")
  public ResponseEntity<Promotion> promote(
      @PathVariable String pipeline, @RequestBody PromoteJson body) {
    Promotion p = promotions.promote(pipeline, body == null ? null : body.from());
    return ResponseEntity.created(
            URI.create("/api/v1/pipelines/" + pipeline + "/promotions/" + p.id()))
        .body(p);
  }

  @GetMapping("/{pipeline}/promotions")
  @Operation(summary = "The pipeline's promotions, newest first, a page at a time")
  public ListJson<Promotion> promotions(
      @PathVariable String pipeline,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    dev.berth.core.support.Requests.checkPaging(ListJson.page(cursor, page), size);
    return ListJson.of(promotions.list(pipeline, ListJson.page(cursor, page), size), p -> p);
  }

  @GetMapping("/{pipeline}/promotions/{id}")
  @Operation(summary = "One promotion")
  public Promotion promotion(@PathVariable String pipeline, @PathVariable long id) {
    return promotions.get(pipeline, id);
  }

  @PostMapping("/{pipeline}/promotions/{id}/approve")
  @Operation(
      summary =
          "Approve a promotion awaiting approval (an operator or owner of the target app's team) and"
              + " start its release; 409 when it is not awaiting approval")
  public Promotion approve(@PathVariable String pipeline, @PathVariable long id) {
    return promotions.approve(pipeline, id);
  }

  @PostMapping("/{pipeline}/promotions/{id}/reject")
  @Operation(
      summary =
          "Reject a promotion awaiting approval (an operator or owner of the target app's team);"
              + " nothing is released; 409 when it is not awaiting approval")
  public Promotion reject(@PathVariable String pipeline, @PathVariable long id) {
    return promotions.reject(pipeline, id);
  }
}
