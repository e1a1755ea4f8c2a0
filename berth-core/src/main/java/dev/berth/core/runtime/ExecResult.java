package dev.berth.core.runtime;

/** The outcome of a command run inside an instance: its exit code and combined output (capped). */
public record ExecResult(int exitCode, String output, boolean timedOut) {
  /**
   * The most output a runtime keeps of a command, in bytes; the rest is dropped while the command
   * runs (see {@link CappedOutput}).
   */
  public static final int OUTPUT_CAP = 64 * 1024;
}
