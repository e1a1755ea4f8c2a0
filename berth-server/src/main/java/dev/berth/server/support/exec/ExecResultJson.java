package dev.berth.server.support.exec;

import io.swagger.v3.oas.annotations.media.Schema;

/** The answer to an exec: how the command ended. */
public record ExecResultJson(
    @Schema(description = "the command's exit code (meaningless when timedOut)") int exitCode,
    @Schema(description = "stdout and stderr as one stream, at most 64 KiB") String output,
    @Schema(description = "the command was stopped at timeoutSeconds") boolean timedOut,
    @Schema(description = "the output filled 64 KiB; what came after is not answered")
        boolean truncated) {}
