package dev.berth.server.resize;

import dev.berth.core.app.Resources;
import dev.berth.core.release.LiveResize;
import dev.berth.core.release.ResizeRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Changing CPU and memory of a running app without restarting its instances (ADR 0036). */
@RestController
@RequestMapping("/api/v1/apps/{app}/resize")
@Tag(name = "resize", description = "Live CPU and memory changes")
public class ResizeApi {
  private final ResizeOperations resizes;

  public ResizeApi(ResizeOperations resizes) {
    this.resizes = resizes;
  }

  /** The answer: the revision the app is on now and whether its instances kept running. */
  public record ResizeJson(
      String app,
      long revision,
      @Schema(description = "true: no instance was restarted; false: see message") boolean live,
      String message,
      ResourcesJson resources) {}

  /** The app's resources after the change. */
  public record ResourcesJson(double cpu, double cpuLimit, int memoryMiB) {
    static ResourcesJson of(Resources r) {
      return new ResourcesJson(r.cpu(), r.cpuLimit(), r.memoryMiB());
    }
  }

  @PostMapping
  @Operation(
      summary =
          "Change cpu, cpuLimit and memoryMiB of a running app (fields left out stay) without"
              + " restarting its instances: a new revision, resized live where the cluster can"
              + " (runc update locally, in-place pod resize on Kubernetes 1.33+), otherwise"
              + " released as usual (live=false and the reason). 400 names a bad field or one above"
              + " a node's allocatable; 409 while a release is under way or when an instance uses"
              + " more memory than the new limit")
  public ResizeJson resize(@PathVariable String app, @RequestBody ResizeRequest body) {
    LiveResize.Outcome out = resizes.resize(app, body);
    return new ResizeJson(
        app,
        out.revision(),
        out.live(),
        out.message(),
        ResourcesJson.of(out.app().spec().resources()));
  }
}
