package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * How a command run without a terminal ({@code instances exec} and {@code runs exec} without {@code
 * -it}) ends for the shell: the command's own exit code, or {@link #TIMED_OUT} when Berth stopped
 * it at its timeout (as {@code timeout(1)} does), with a line on stderr saying so, and one when the
 * output was cut.
 */
record ExecOutcome(int exitCode, List<String> notes) {
  static final int TIMED_OUT = 124;

  /** The API's request body: the command, and its timeout when one was given. */
  static java.util.Map<String, Object> request(List<String> command, Integer timeoutSeconds) {
    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("command", command);
    if (timeoutSeconds != null) {
      body.put("timeoutSeconds", timeoutSeconds);
    }
    return body;
  }

  /** The outcome of the API's answer {@code {exitCode, output, timedOut, truncated}}. */
  static ExecOutcome of(JsonNode result, String where, int timeoutSeconds) {
    List<String> notes = new ArrayList<>();
    if (result.path("truncated").asBoolean()) {
      notes.add("berth: the output filled 64 KiB; the rest was not kept");
    }
    if (result.path("timedOut").asBoolean()) {
      notes.add(
          "berth: the command did not end within "
              + timeoutSeconds
              + "s in "
              + where
              + " and was stopped (exit code "
              + TIMED_OUT
              + "; --timeout gives it longer)");
      return new ExecOutcome(TIMED_OUT, notes);
    }
    return new ExecOutcome(result.path("exitCode").asInt(1), notes);
  }

  /** Prints the output (table) or the whole answer (json, yaml), then the notes on stderr. */
  int print(Common common, JsonNode result) {
    if (common.output == Format.TABLE) {
      common.io().out().print(result.path("output").asText());
      common.io().out().flush();
    } else {
      common.print(result, List.of());
    }
    notes.forEach(common.io().err()::println);
    return exitCode;
  }
}
