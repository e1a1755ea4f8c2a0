package dev.berth.server.support.exec;

import dev.berth.core.app.AppValidator;
import dev.berth.core.support.Errors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The pure rules of a command run without a terminal, in an instance or a run: what a request may
 * ask for, how much of the output is answered, and how its end reads in the audit log.
 */
public final class ExecRules {
  public static final int DEFAULT_TIMEOUT_SECONDS = 30;
  public static final int MAX_TIMEOUT_SECONDS = 300;

  /**
   * The most output answered, in bytes: what the local runtime keeps of any command it runs, so
   * that both runtimes answer the same and one answer stays a small JSON document.
   */
  public static final int OUTPUT_CAP = dev.berth.core.runtime.ExecResult.OUTPUT_CAP;

  /** A checked request: the command and how long it may take. */
  public record Request(List<String> command, Duration timeout) {}

  /** The answered output and whether it was cut at {@link #OUTPUT_CAP}. */
  public record Output(String text, boolean truncated) {}

  private ExecRules() {}

  /**
   * Checks a request's fields.
   *
   * @throws dev.berth.core.support.ValidationException naming {@code command} or {@code
   *     timeoutSeconds}
   */
  public static Request check(List<String> command, Integer timeoutSeconds) {
    Errors errors = new Errors();
    errors.check(
        command != null && !command.isEmpty(),
        "command",
        "is required: the program and its arguments, e.g. [\"sh\", \"-c\", \"df -h\"]");
    if (command != null) {
      AppValidator.checkCommand(command, "command", errors);
    }
    int seconds = timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    errors.check(
        seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS,
        "timeoutSeconds",
        "must be from 1 to "
            + MAX_TIMEOUT_SECONDS
            + " seconds (default "
            + DEFAULT_TIMEOUT_SECONDS
            + "), was "
            + timeoutSeconds
            + "; for longer work open a terminal or run a task");
    errors.throwIfAny();
    return new Request(List.copyOf(command), Duration.ofSeconds(seconds));
  }

  /**
   * At most {@code cap} bytes of {@code output} (UTF-8), cut before a character that would not fit
   * whole; {@code truncated} when the output filled the cap (the local runtime keeps no more than
   * the cap, so output of exactly the cap counts as cut).
   */
  public static Output cap(String output, int cap) {
    byte[] bytes = (output == null ? "" : output).getBytes(StandardCharsets.UTF_8);
    if (bytes.length < cap) {
      return new Output(output == null ? "" : output, false);
    }
    int end = cap;
    while (end > 0 && end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new Output(new String(bytes, 0, end, StandardCharsets.UTF_8), true);
  }

  /** How the command ended, for the audit log and the event. */
  public static String outcome(int exitCode, boolean timedOut, Duration timeout, Duration took) {
    String end = timedOut ? "timed out after " + human(timeout) : "exited with " + exitCode;
    return end + " (" + took.toMillis() + " ms)";
  }

  /** A duration the way people read it: {@code 15m}, {@code 1h 2m 3s}, {@code 0s}. */
  public static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append("h ");
    }
    if (s % 3600 >= 60) {
      b.append(s % 3600 / 60).append("m ");
    }
    if (s % 60 > 0 || b.isEmpty()) {
      b.append(s % 60).append("s");
    }
    return b.toString().trim();
  }
}
