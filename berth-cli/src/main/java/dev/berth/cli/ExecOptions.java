package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of {@code instances exec} and {@code runs exec}: {@code -it} for a terminal, else
 * {@code --timeout} for a command run once through the exec API.
 */
final class ExecOptions {
  @Option(
      names = {"-i", "--stdin"},
      description = "send standard input (with -t)")
  boolean stdin;

  @Option(
      names = {"-t", "--tty"},
      description = "a terminal (raw mode when stdin is one)")
  boolean tty;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "without -it: stop the command after this long, 1 to 300 (default 30)")
  Integer timeout;

  /** Whether a terminal was asked for ({@code -it}). */
  boolean terminal() {
    return stdin && tty;
  }

  /** Opens the terminal at {@code at}/terminal, COMMAND in it or a shell. */
  int openTerminal(Common common, String at, List<String> command) {
    return new Terminal(common.api(), common.io()).run(at + "/terminal", command);
  }

  /** Runs {@code command} once at {@code at}/exec; prints it and answers its exit code. */
  int runOnce(Common common, String at, List<String> command, String where) {
    JsonNode result = common.api().post(at + "/exec", ExecOutcome.request(command, timeout));
    return ExecOutcome.of(result, where, timeout == null ? 30 : timeout).print(common, result);
  }
}
