package dev.berth.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemStatusesTest {

  @Test
  void aListAnswersOnlyTheGeneralProblemsAndBadParameters() {
    assertThat(ProblemStatuses.of("/api/v1/teams", "GET", List.of(), false))
        .containsOnlyKeys(401, 403, 429);
    assertThat(ProblemStatuses.of("/api/v1/apps", "GET", List.of("cursor", "size"), false))
        .containsOnlyKeys(400, 401, 403, 429);
  }

  @Test
  void aReplacementNamesNotFoundConflictsAndTheVersionPreconditions() {
    assertThat(
            ProblemStatuses.of(
                "/api/v1/apps/{app}", "PUT", List.of("app", "If-Match", "confirm"), true))
        .containsOnlyKeys(400, 401, 403, 404, 409, 412, 413, 428, 429);
  }

  @Test
  void aDeleteWithAConfirmationNamesTheConfirmation() {
    assertThat(
            ProblemStatuses.of(
                "/api/v1/clusters/{name}", "DELETE", List.of("name", "confirm"), false))
        .containsOnlyKeys(400, 401, 403, 404, 409, 428, 429);
  }
}
