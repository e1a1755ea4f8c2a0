package dev.berth.core.runtime;

import dev.berth.core.event.EventType;

/**
 * Which instance events are warnings, in one place for every runtime: an exit that was not a clean
 * exit with code 0 (an error code, a signal, the OOM killer) and a restart Berth did on its own
 * (after an exit or a failed liveness probe, i.e. after back-off) are warnings; a restart somebody
 * asked for is normal.
 */
public final class Severity {
  private Severity() {}

  /** Warning unless the process exited by itself with code 0. */
  public static EventType ofExit(ExitInfo exit) {
    return exit != null && exit.reason() == ExitReason.COMPLETED
        ? EventType.NORMAL
        : EventType.WARNING;
  }

  /** Normal for a restart somebody asked for, a warning for one after a crash or a failed probe. */
  public static EventType ofRestart(boolean requested) {
    return requested ? EventType.NORMAL : EventType.WARNING;
  }
}
