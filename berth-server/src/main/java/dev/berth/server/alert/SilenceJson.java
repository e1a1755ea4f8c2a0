package dev.berth.server.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.core.alert.Silence;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/**
 * A silence on the wire: {@code matchers} (label equality, e.g. {@code {"alertname":
 * "instance-oom-killed", "app": "web"}}), a team (none: a platform silence), a comment, and either
 * {@code endsAt} or {@code duration} ({@code 2h}). {@code id}, {@code createdBy} and {@code active}
 * are only answered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SilenceJson(
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) Long id,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Map<String, String> matchers,
    String team,
    String comment,
    Instant startsAt,
    Instant endsAt,
    @Schema(example = "2h") String duration,
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) String createdBy,
    @Schema(accessMode = Schema.AccessMode.READ_ONLY) Boolean active) {

  static SilenceJson of(Silence s, Instant now) {
    return new SilenceJson(
        s.id(),
        s.matchers(),
        s.team(),
        s.comment(),
        s.startsAt(),
        s.endsAt(),
        null,
        s.createdBy(),
        s.activeAt(now));
  }
}
