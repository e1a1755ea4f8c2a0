package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command run without a terminal: the shell gets the command's own exit code, 124 and one line
 * when Berth stopped it at its timeout, a line when the output was cut; and the command lines that
 * cannot mean anything are refused before any call.
 */
class ExecOutcomeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path home;

  static JsonNode answer(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void theCommandsOwnExitCodeIsTheShellsWithNothingOnStderr() throws Exception {
    ExecOutcome three =
        ExecOutcome.of(
            answer("{\"exitCode\":3,\"output\":\"hi\\n\",\"timedOut\":false,\"truncated\":false}"),
            "web-0",
            30);
    assertThat(three.exitCode()).isEqualTo(3);
    assertThat(three.notes()).isEmpty();
    assertThat(ExecOutcome.of(answer("{\"exitCode\":0}"), "web-0", 30).exitCode()).isZero();
  }

  @Test
  void aCommandStoppedAtItsTimeoutExits124SayingSoInOneLine() throws Exception {
    ExecOutcome out =
        ExecOutcome.of(
            answer("{\"exitCode\":143,\"output\":\"\",\"timedOut\":true,\"truncated\":false}"),
            "web-0",
            5);
    assertThat(out.exitCode()).isEqualTo(124).isNotEqualTo(143);
    assertThat(out.notes())
        .containsExactly(
            "berth: the command did not end within 5s in web-0 and was stopped (exit code 124;"
                + " --timeout gives it longer)");
  }

  @Test
  void cutOutputIsSaidOnStderrAndKeepsTheExitCode() throws Exception {
    ExecOutcome out =
        ExecOutcome.of(answer("{\"exitCode\":0,\"output\":\"x\",\"truncated\":true}"), "w-1", 30);
    assertThat(out.exitCode()).isZero();
    assertThat(out.notes()).singleElement().asString().contains("64 KiB");
  }

  @Test
  void withoutACommandOrWithHalfOfMinusItNothingIsCalled() {
    // the server is a closed port: a call would answer "cannot reach", these never get that far
    Map<String, String> env =
        Map.of("HOME", home.toString(), "BERTH_SERVER", "http://127.0.0.1:9", "BERTH_TOKEN", "t");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Io io =
        new Io(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]),
            env);
    assertThat(BerthCli.run(io, "instances", "exec", "web", "web-0")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "berth: name the command to run after --, e.g. 'berth instances exec web web-0 --"
                + " df -h', or open a terminal with -it\n");
    err.reset();
    assertThat(BerthCli.run(io, "instances", "exec", "-t", "web", "web-0", "--", "true"))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "berth: -i and -t go together: -it opens a terminal; without both, COMMAND runs once\n");
  }

  @Test
  void theRequestCarriesTheTimeoutOnlyWhenOneWasGiven() {
    assertThat(ExecOutcome.request(java.util.List.of("df", "-h"), 90))
        .isEqualTo(Map.of("command", java.util.List.of("df", "-h"), "timeoutSeconds", 90));
    assertThat(ExecOutcome.request(java.util.List.of("true"), null))
        .isEqualTo(Map.of("command", java.util.List.of("true")));
  }
}
