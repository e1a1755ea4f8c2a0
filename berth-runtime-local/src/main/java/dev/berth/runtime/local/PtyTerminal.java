package dev.berth.runtime.local;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.runtime.Terminal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A host command ({@code runc exec -t ...} or {@code runc run} of a helper with a TTY) started on a
 * pseudo-terminal of its own (pty4j). runc sees a terminal on its standard input, creates the
 * container's console and copies between the two; a resize of this pseudo-terminal reaches runc as
 * SIGWINCH, which passes the new size on to the container's console.
 */
final class PtyTerminal implements Terminal {
  private final PtyProcess process;
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();
  private final AtomicBoolean cleaned = new AtomicBoolean();
  private final Runnable cleanup;

  private PtyTerminal(PtyProcess process, Runnable cleanup) {
    this.process = process;
    this.cleanup = cleanup;
    process
        .onExit()
        .whenComplete(
            (p, e) -> {
              cleanUp();
              exited.complete(e == null ? p.exitValue() : -1);
            });
  }

  /**
   * Starts {@code command} on a new pseudo-terminal of {@code columns} x {@code rows}; runs {@code
   * cleanup} once when it has exited (also when it could not start).
   *
   * @throws RuntimeFailure when the process cannot be started
   */
  static PtyTerminal start(List<String> command, int columns, int rows, Runnable cleanup) {
    Terminal.checkSize(columns, rows);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("TERM", "xterm-256color");
    try {
      PtyProcess p =
          new PtyProcessBuilder(command.toArray(String[]::new))
              .setEnvironment(env)
              .setInitialColumns(columns)
              .setInitialRows(rows)
              .setRedirectErrorStream(true)
              .start();
      return new PtyTerminal(p, cleanup);
    } catch (IOException | RuntimeException e) {
      cleanup.run();
      throw new RuntimeFailure("could not start a terminal: " + e.getMessage(), e);
    }
  }

  @Override
  public OutputStream input() {
    return process.getOutputStream();
  }

  @Override
  public InputStream output() {
    return process.getInputStream();
  }

  @Override
  public void resize(int columns, int rows) {
    Terminal.checkSize(columns, rows);
    if (process.isAlive()) {
      process.setWinSize(new WinSize(columns, rows));
    }
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
    }
  }

  private void cleanUp() {
    if (cleaned.compareAndSet(false, true)) {
      cleanup.run();
    }
  }
}
