package dev.berth.core.runtime;

/** The outcome of a command run inside an instance: its exit code and combined output (capped). */
public record ExecResult(int exitCode, String output, boolean timedOut) {}
