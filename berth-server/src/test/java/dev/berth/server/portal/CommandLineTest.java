package dev.berth.server.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  @Test
  void splitsOnBlanksAndKeepsAQuotedArgumentWhole() {
    assertThat(CommandLine.split("sh -c \"echo hi\"", "command"))
        .containsExactly("sh", "-c", "echo hi");
    assertThat(CommandLine.split("  httpd   -f -p 8080 ", "command"))
        .containsExactly("httpd", "-f", "-p", "8080");
    assertThat(CommandLine.split("sh -c 'echo \"$HOME\" > /tmp/x'", "command"))
        .containsExactly("sh", "-c", "echo \"$HOME\" > /tmp/x");
    assertThat(CommandLine.split("", "command")).isEmpty();
    assertThat(CommandLine.split(null, "command")).isEmpty();
  }

  @Test
  void honoursEscapesInsideAndOutsideDoubleQuotes() {
    assertThat(CommandLine.split("echo a\\ b \\\"c\\\"", "command"))
        .containsExactly("echo", "a b", "\"c\"");
    assertThat(CommandLine.split("echo \"say \\\"hi\\\" \\\\ \\n\"", "command"))
        .containsExactly("echo", "say \"hi\" \\ \\n");
    assertThat(CommandLine.split("echo 'a\\b'", "command")).containsExactly("echo", "a\\b");
  }

  @Test
  void joinsAdjacentQuotedPartsAndKeepsEmptyArguments() {
    assertThat(CommandLine.split("--name=\"a b\"'c d' \"\" ''", "args"))
        .containsExactly("--name=a bc d", "", "");
  }

  @Test
  void refusesAnUnterminatedQuoteOrATrailingBackslashNamingTheField() {
    assertThatThrownBy(() -> CommandLine.split("sh -c \"echo hi", "command"))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.errors()).hasSize(1);
              assertThat(e.errors().getFirst().field()).isEqualTo("command");
              assertThat(e.errors().getFirst().message())
                  .contains("unterminated double quote")
                  .contains("character 7");
            });
    assertThatThrownBy(() -> CommandLine.split("echo 'hi", "args"))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.errors().getFirst().message()).contains("unterminated single quote"));
    assertThatThrownBy(() -> CommandLine.split("echo hi\\", "command"))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.errors().getFirst().message()).contains("backslash"));
  }

  @Test
  void joinsArgumentsIntoALineThatSplitsBackToThem() {
    List<String> args =
        List.of("sh", "-c", "echo 'it''s' \"$X\"", "", "a\\b", "plain-word_1.0:/x=y");
    String line = CommandLine.join(args);
    assertThat(CommandLine.split(line, "command")).isEqualTo(args);
    assertThat(CommandLine.join(List.of("httpd", "-f", "-p", "8080")))
        .isEqualTo("httpd -f -p 8080");
    assertThat(CommandLine.join(List.of("sh", "-c", "echo hi"))).isEqualTo("sh -c 'echo hi'");
  }
}
