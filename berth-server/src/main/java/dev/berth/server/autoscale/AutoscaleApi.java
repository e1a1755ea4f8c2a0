package dev.berth.server.autoscale;

import dev.berth.core.autoscale.AutoscalePolicy;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** An app's autoscaling policy, its status and its recent decisions. */
@RestController
@RequestMapping("/api/v1/apps/{app}/autoscaling")
@Tag(name = "autoscaling", description = "Autoscaling: policy, schedules, explained decisions")
public class AutoscaleApi {
  private final AutoscaleOperations autoscaling;

  public AutoscaleApi(AutoscaleOperations autoscaling) {
    this.autoscaling = autoscaling;
  }

  @GetMapping
  @Operation(
      summary =
          "The app's autoscaling policy (null when off), its instance count and its newest decisions"
              + " (newest first), each with its inputs and the rule that won")
  public AutoscaleOperations.View get(@PathVariable String app) {
    return autoscaling.get(app);
  }

  @PutMapping
  @Operation(
      summary =
          "Set the app's autoscaling policy: min, max, metrics (cpu, memory, requests, p95, metric),"
              + " tolerance, scaleUp/scaleDown (stabilizationSeconds, policies, selectPolicy),"
              + " cooldownSeconds, schedules (start and end cron, timezone, floor, ceiling), dryRun")
  public AutoscaleOperations.View put(
      @PathVariable String app, @RequestBody AutoscalePolicy policy) {
    return autoscaling.put(app, policy);
  }

  @DeleteMapping
  @Operation(summary = "Turn autoscaling off; the instance count stays where it is")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(@PathVariable String app) {
    autoscaling.delete(app);
  }
}
