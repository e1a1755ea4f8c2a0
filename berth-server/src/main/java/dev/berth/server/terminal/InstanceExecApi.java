package dev.berth.server.terminal;

import dev.berth.server.support.exec.ExecRequestJson;
import dev.berth.server.support.exec.ExecResultJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A command run in a running instance without a terminal: its exit code and output at once. */
@RestController
@Tag(name = "terminals", description = "Terminals and commands inside instances")
public class InstanceExecApi {
  private final InstanceExec exec;

  public InstanceExecApi(InstanceExec exec) {
    this.exec = exec;
  }

  @PostMapping("/api/v1/apps/{app}/instances/{instance}/exec")
  @Operation(
      summary =
          "Run a command in a running instance (no terminal, no stdin) and answer its exit code and"
              + " output once it ends or its timeout passes; needs instance.exec in the app's team,"
              + " audited as instance.exec")
  @ApiResponse(responseCode = "200", description = "The command ran; its exit code and output")
  @ApiResponse(
      responseCode = "400",
      description = "command is empty or timeoutSeconds is outside 1 to 300; the field is named")
  @ApiResponse(responseCode = "409", description = "The instance is not running (with its state)")
  @ApiResponse(
      responseCode = "429",
      description =
          "Too many execs run at once (berth.exec.max-per-user per user, berth.exec.max-concurrent"
              + " in this Berth); try again after Retry-After")
  @ApiResponse(
      responseCode = "503",
      description = "The cluster's runtime could not run the command (with the reason)")
  public ExecResultJson exec(
      @PathVariable String app, @PathVariable String instance, @RequestBody ExecRequestJson body) {
    InstanceExec.Result r = exec.run(app, instance, body.command(), body.timeoutSeconds());
    return new ExecResultJson(r.exitCode(), r.output(), r.timedOut(), r.truncated());
  }
}
