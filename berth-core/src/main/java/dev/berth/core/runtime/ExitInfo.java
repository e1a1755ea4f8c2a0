package dev.berth.core.runtime;

import java.time.Instant;

/** How an instance's or run's process last ended. {@code signal} is 0 unless a signal ended it. */
public record ExitInfo(int code, ExitReason reason, int signal, Instant at, String message) {
  /** Classifies a shell-style exit status (128+n means killed by signal n). */
  public static ExitInfo of(int status, boolean oomKilled, Instant at) {
    if (oomKilled) {
      return new ExitInfo(
          status,
          ExitReason.OOM,
          status > 128 ? status - 128 : 9,
          at,
          "killed by the OOM killer: memory limit exceeded");
    }
    if (status == 0) {
      return new ExitInfo(0, ExitReason.COMPLETED, 0, at, "exited with code 0");
    }
    if (status > 128 && status < 160) {
      return new ExitInfo(
          status, ExitReason.KILLED, status - 128, at, "killed by signal " + (status - 128));
    }
    return new ExitInfo(status, ExitReason.ERROR, 0, at, "exited with code " + status);
  }
}
