package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemsTest {
  @Test
  void aValidationProblemIsOneLineWithTitleStatusAndEachFieldWithItsFix() {
    String body =
        """
        {"type": "about:blank", "title": "Bad Request", "status": 400,
         "detail": "the request has invalid fields",
         "errors": [{"field": "instances", "message": "must be at least 0, was -1"},
                    {"field": "image", "message": "is required"}]}
        """;
    assertThat(Problems.line(400, body, "http://b"))
        .isEqualTo(
            "Bad Request (400): the request has invalid fields; instances: must be at least 0, was -1;"
                + " image: is required");
  }

  @Test
  void aDetailThatAlreadyNamesTheFieldIsNotRepeated() {
    String body =
        """
        {"title": "Precondition Required", "status": 428,
         "detail": "confirm: type the app's name to delete it",
         "errors": [{"field": "confirm", "message": "type the app's name to delete it"}]}
        """;
    assertThat(Problems.line(428, body, "http://b"))
        .isEqualTo("Precondition Required (428): confirm: type the app's name to delete it");
  }

  @Test
  void unauthorizedSaysWhatToDoAboutTheToken() {
    String line =
        Problems.line(
            401, "{\"title\": \"Unauthorized\", \"status\": 401}", "http://127.0.0.1:8080");
    assertThat(line)
        .startsWith("Unauthorized (401)")
        .contains("the token is missing, expired or revoked at http://127.0.0.1:8080")
        .contains("berth login --server URL --token TOKEN");
  }

  @Test
  void anAnswerThatIsNoProblemShowsItsFirstLineOnALineOfItsOwn() {
    assertThat(Problems.line(502, "<html>\nBad gateway\n</html>", "http://b"))
        .isEqualTo("HTTP error (502): <html>");
    assertThat(Problems.line(500, "", "http://b")).isEqualTo("HTTP error (500)");
    assertThat(Problems.line(409, "{\"title\": \"Conflict\", \"detail\": \"a\\nb\"}", "x"))
        .isEqualTo("Conflict (409): a b");
  }
}
