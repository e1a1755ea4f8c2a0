package dev.berth.server.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.server.testing.TestJson;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the API shows of a report: its result next to the counts, and findings only in full. */
class ReportJsonTest {
  static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");

  @Test
  void aReportSaysItsResultAndAListEntryLeavesTheFindingsOut() throws Exception {
    Report r =
        new Report(
            3,
            "local",
            "manual",
            "admin",
            T0,
            T0.plusSeconds(1),
            1,
            1,
            List.of(
                new Finding("registry", "gone", Finding.Status.FAIL, "registry unreachable"),
                new Finding("app", "web", Finding.Status.WARN, "app degraded")));

    JsonNode full = TestJson.mapper().valueToTree(r);
    assertThat(full.path("result").asText()).isEqualTo("failed");
    assertThat(full.path("findings").get(0).path("status").asText()).isEqualTo("fail");
    JsonNode summary = TestJson.mapper().valueToTree(r.summary());
    assertThat(summary.has("findings")).isFalse();
    assertThat(summary.path("failures").asInt()).isEqualTo(1);

    Report clean = new Report(4, "local", "scheduled", "system", T0, T0, 0, 2, List.of());
    assertThat(clean.result()).isEqualTo("warnings");
    assertThat(new Report(5, "local", "scheduled", "system", T0, T0, 0, 0, List.of()).result())
        .isEqualTo("passed");
  }
}
