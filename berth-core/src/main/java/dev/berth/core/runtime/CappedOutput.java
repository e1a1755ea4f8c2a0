package dev.berth.core.runtime;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream that keeps the first {@code cap} bytes written to it and drops the rest, so a
 * command that prints without end cannot fill the memory of the one collecting its output.
 * Thread-safe: stdout and stderr may be written from two threads.
 */
public final class CappedOutput extends OutputStream {
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final int cap;

  public CappedOutput(int cap) {
    if (cap < 0) {
      throw new IllegalArgumentException("cap must not be negative, was " + cap);
    }
    this.cap = cap;
  }

  @Override
  public synchronized void write(int b) {
    if (kept.size() < cap) {
      kept.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    int room = cap - kept.size();
    if (room > 0) {
      kept.write(b, off, Math.min(room, len));
    }
  }

  /** What was kept, decoded as UTF-8. */
  public synchronized String text() {
    return kept.toString(StandardCharsets.UTF_8);
  }

  /** How many bytes were kept. */
  public synchronized int size() {
    return kept.size();
  }
}
