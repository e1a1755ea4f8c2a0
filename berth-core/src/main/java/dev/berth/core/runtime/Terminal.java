package dev.berth.core.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * An interactive command with a terminal (TTY) inside an instance or a run, opened by {@link
 * ClusterRuntime#openTerminal}: what the user types goes to {@link #input()}, what the terminal
 * shows comes from {@link #output()} (raw bytes, escape sequences included; stdout and stderr are
 * one stream, as on a real terminal).
 *
 * <p>Threading: one thread may write {@link #input()} while another reads {@link #output()}; {@link
 * #resize} and {@link #close} may be called from any thread. {@link #output()} ends (-1) when the
 * command exits or the terminal is closed.
 */
public interface Terminal extends AutoCloseable {
  /** The bytes the user types (keys, pasted text); flushed by the caller. */
  OutputStream input();

  /** What the terminal shows, until the command exits. */
  InputStream output();

  /**
   * Tells the command the terminal's new size (SIGWINCH in the container). Ignored after the
   * command exited.
   *
   * @throws IllegalArgumentException when a size is not positive
   */
  void resize(int columns, int rows);

  /**
   * Completes with the command's exit code when it ends (-1 when the runtime cannot tell, e.g. the
   * terminal was closed first).
   */
  CompletableFuture<Integer> exited();

  /** Ends the command (hang-up, then kill) and frees what the terminal holds. Idempotent. */
  @Override
  void close();

  /** Checks a requested terminal size: both sides between 1 and 1000. */
  static void checkSize(int columns, int rows) {
    if (columns < 1 || columns > 1000 || rows < 1 || rows > 1000) {
      throw new IllegalArgumentException(
          "terminal size must be 1..1000 columns and rows, was " + columns + "x" + rows);
    }
  }
}
