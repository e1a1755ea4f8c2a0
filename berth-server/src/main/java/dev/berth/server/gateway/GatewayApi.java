package dev.berth.server.gateway;

import static dev.berth.server.access.Permission.CLUSTER_READ;

import dev.berth.core.support.NotFoundException;
import dev.berth.server.access.Access;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The gateway's status, and mirroring of an app's requests to another app. */
@RestController
@Tag(name = "gateway", description = "The nginx gateway and traffic mirroring")
public class GatewayApi {
  private final ObjectProvider<Gateway> gateway;
  private final MirrorOperations mirrors;
  private final Access access;
  private final GatewayProperties settings;

  public GatewayApi(
      ObjectProvider<Gateway> gateway,
      MirrorOperations mirrors,
      Access access,
      GatewayProperties settings) {
    this.gateway = gateway;
    this.mirrors = mirrors;
    this.access = access;
    this.settings = settings;
  }

  @GetMapping("/api/v1/gateway")
  @Operation(
      summary =
          "The gateway: whether nginx runs, the config's hash, when it was last applied, reloads and restarts since Berth"
              + " started, and nginx's words about the last refused config")
  @ApiResponse(
      responseCode = "200",
      description = "the status (enabled=false when the gateway is off)")
  @ApiResponse(responseCode = "403", description = "the caller may not read clusters")
  public GatewayStatus status() {
    access.require(CLUSTER_READ, null);
    Gateway g = gateway.getIfAvailable();
    return g != null ? g.status() : off(settings);
  }

  static GatewayStatus off(GatewayProperties settings) {
    return new GatewayStatus(
        false, settings.mode(), null, false, null, null, null, null, 0, 0, null, 0, 0);
  }

  @GetMapping("/api/v1/apps/{app}/mirror")
  @Operation(
      summary = "The app's mirror, running or stopped by its latency guard (with the reason)")
  @ApiResponse(responseCode = "200", description = "the mirror")
  @ApiResponse(responseCode = "404", description = "no such app, or it has no mirror")
  @ApiResponse(responseCode = "409", description = "the gateway is off")
  public Mirror mirror(@PathVariable String app) {
    return operations().get(app).orElseThrow(() -> new NotFoundException("mirror", app));
  }

  @PutMapping("/api/v1/apps/{app}/mirror")
  @Operation(
      summary =
          "Copy a sample of the app's requests through the gateway to another app; the copies' answers are discarded."
              + " percent (1-100, default 10), maxBodyBytes (default 65536: larger requests are not copied), maxP99RisePercent"
              + " (default 20: stops by itself when the app's p99 latency rises by more). Replaces an earlier mirror")
  @ApiResponse(responseCode = "200", description = "the mirror, running")
  @ApiResponse(responseCode = "400", description = "a field is wrong; the problem names it")
  @ApiResponse(responseCode = "403", description = "the caller may not change the app's spec")
  @ApiResponse(responseCode = "404", description = "no such app")
  @ApiResponse(
      responseCode = "409",
      description = "the gateway is off, or the app has no routes for the gateway to copy from")
  public Mirror put(@PathVariable String app, @RequestBody MirrorOperations.MirrorRequest request) {
    return operations().put(app, request);
  }

  @DeleteMapping("/api/v1/apps/{app}/mirror")
  @Operation(summary = "Stop and remove the app's mirror")
  @ApiResponse(responseCode = "204", description = "removed")
  @ApiResponse(responseCode = "403", description = "the caller may not change the app's spec")
  @ApiResponse(responseCode = "404", description = "no such app, or it has no mirror")
  @ApiResponse(responseCode = "409", description = "the gateway is off")
  public ResponseEntity<Void> delete(@PathVariable String app) {
    operations().delete(app);
    return ResponseEntity.noContent().build();
  }

  private MirrorOperations operations() {
    return mirrors;
  }
}
