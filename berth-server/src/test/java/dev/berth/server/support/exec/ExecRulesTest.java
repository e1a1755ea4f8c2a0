package dev.berth.server.support.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a command run in an instance may ask for, and how much of its output is answered. */
class ExecRulesTest {
  static List<String> fields(Runnable call) {
    try {
      call.run();
    } catch (ValidationException e) {
      return e.errors().stream().map(ValidationException.FieldError::field).toList();
    }
    return List.of();
  }

  @Test
  void theTimeoutIsThirtySecondsUnlessGivenFromOneToThreeHundred() {
    assertThat(ExecRules.check(List.of("true"), null).timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(ExecRules.check(List.of("true"), 1).timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(ExecRules.check(List.of("true"), 300).timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(fields(() -> ExecRules.check(List.of("true"), 0))).containsExactly("timeoutSeconds");
    assertThat(fields(() -> ExecRules.check(List.of("true"), 301)))
        .containsExactly("timeoutSeconds");
  }

  @Test
  void anEmptyOrMissingCommandIsRefusedNamingTheFieldWithTheTimeoutToo() {
    assertThat(fields(() -> ExecRules.check(List.of(), -5)))
        .containsExactly("command", "timeoutSeconds");
    assertThatThrownBy(() -> ExecRules.check(null, null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("command: is required");
    assertThat(fields(() -> ExecRules.check(List.of("echo", "a\0b"), null)))
        .containsExactly("command[1]");
  }

  @Test
  void outputBelowTheCapIsAnsweredWholeAndOutputThatFillsItIsCutAtACharacter() {
    assertThat(ExecRules.cap("hi\n", 16)).isEqualTo(new ExecRules.Output("hi\n", false));
    assertThat(ExecRules.cap(null, 16)).isEqualTo(new ExecRules.Output("", false));
    ExecRules.Output cut = ExecRules.cap("a".repeat(20), 16);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.text()).hasSize(16);
    // "é" is two bytes: a cap of 17 falls inside the sixth one, which is left out whole
    ExecRules.Output accents = ExecRules.cap("aé".repeat(10), 17);
    assertThat(accents.truncated()).isTrue();
    assertThat(accents.text()).isEqualTo("aéaéaéaéaé".substring(0, 10) + "a");
    assertThat(accents.text().getBytes(StandardCharsets.UTF_8).length).isEqualTo(16);
  }

  @Test
  void theEndReadsAsTheExitCodeOrTheTimeoutWithHowLongItTook() {
    assertThat(ExecRules.outcome(3, false, Duration.ofSeconds(10), Duration.ofMillis(42)))
        .isEqualTo("exited with 3 (42 ms)");
    assertThat(ExecRules.outcome(-1, true, Duration.ofSeconds(10), Duration.ofMillis(10_040)))
        .isEqualTo("timed out after 10s (10040 ms)");
  }
}
