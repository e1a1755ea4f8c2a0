package dev.berth.server.terminal;

import java.io.IOException;

/**
 * Where an open terminal's output goes: the user's WebSocket (binary frames), or a test's buffer.
 * {@link #show} is called from one thread at a time; {@link #closed} once, last.
 */
public interface TerminalScreen {
  /** Shows {@code length} bytes of the terminal's output. */
  void show(byte[] bytes, int length) throws IOException;

  /**
   * The terminal has closed: tells the user why (and the command's exit code when it exited), then
   * hangs up.
   */
  void closed(String reason, Integer exitCode);
}
