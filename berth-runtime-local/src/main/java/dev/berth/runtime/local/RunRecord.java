package dev.berth.runtime.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.runtime.ExitInfo;
import dev.berth.core.runtime.ExitReason;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.task.RunState;
import dev.berth.core.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What the runtime persists per task run ({@code runs/<runId>/run.json}, rewritten atomically on
 * every change) so that a new Berth process can adopt it or report how it ended. Times are epoch
 * milliseconds, 0 when not set.
 *
 * @param retryAt when the queued retry is due, 0 when none is queued
 * @param shimPid the supervision shim of the current attempt, 0 when none runs
 * @param lower the image root file system the overlay is mounted on, or null
 */
record RunRecord(
    String runId,
    String task,
    TaskSpec spec,
    long timeoutMs,
    long graceMs,
    int retries,
    boolean keepOnFailure,
    RunState state,
    int attempts,
    Exit lastExit,
    boolean reclaimed,
    long startedAt,
    long endedAt,
    String message,
    long retryAt,
    long shimPid,
    String lower,
    String cpus) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** {@link ExitInfo} in a form that needs no Java time module. */
  record Exit(int code, ExitReason reason, int signal, long at, String message) {
    static Exit of(ExitInfo e) {
      return e == null
          ? null
          : new Exit(e.code(), e.reason(), e.signal(), millis(e.at()), e.message());
    }

    ExitInfo info() {
      return new ExitInfo(code, reason, signal, instant(at), message);
    }
  }

  RunWorkload workload() {
    return new RunWorkload(
        runId,
        task,
        spec,
        timeoutMs > 0 ? Duration.ofMillis(timeoutMs) : null,
        Duration.ofMillis(graceMs),
        retries,
        keepOnFailure);
  }

  static RunRecord read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), RunRecord.class);
  }

  void write(Path file) throws IOException {
    Fs.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
  }

  static long millis(Instant i) {
    return i == null ? 0 : i.toEpochMilli();
  }

  static Instant instant(long millis) {
    return millis > 0 ? Instant.ofEpochMilli(millis) : null;
  }
}
