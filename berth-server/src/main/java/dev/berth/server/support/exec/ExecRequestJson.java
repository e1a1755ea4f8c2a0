package dev.berth.server.support.exec;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The body of an exec request, into an instance or a run. */
public record ExecRequestJson(
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            example = "[\"sh\", \"-c\", \"df -h /tmp\"]")
        List<String> command,
    @Schema(
            description = "how long the command may run, 1 to 300 seconds",
            defaultValue = "30",
            minimum = "1",
            maximum = "300")
        Integer timeoutSeconds) {}
