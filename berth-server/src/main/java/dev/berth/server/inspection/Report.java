package dev.berth.server.inspection;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * One finished inspection of a cluster. {@code trigger} is {@code scheduled} or {@code manual};
 * {@code findings} is absent in lists. {@code result} is {@code failed} with any failure, {@code
 * warnings} with any warning, else {@code passed}.
 */
public record Report(
    long id,
    String cluster,
    String trigger,
    String requestedBy,
    Instant startedAt,
    Instant finishedAt,
    int failures,
    int warnings,
    @Schema(nullable = true) List<Finding> findings) {

  @JsonProperty("result")
  @Schema(allowableValues = {"failed", "warnings", "passed"})
  public String result() {
    return failures > 0 ? "failed" : warnings > 0 ? "warnings" : "passed";
  }

  /** This report without its findings, as lists show it. */
  Report summary() {
    return new Report(
        id, cluster, trigger, requestedBy, startedAt, finishedAt, failures, warnings, null);
  }

  /** The failed findings, first the ones a person should look at. */
  List<Finding> failed() {
    return findings == null
        ? List.of()
        : findings.stream().filter(f -> f.status() == Finding.Status.FAIL).toList();
  }
}
