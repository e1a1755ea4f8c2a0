package dev.berth.runtime.local;

import dev.berth.core.runtime.LogLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Console log files: {@code console.log} plus rotated {@code console.log.1} (newest) … {@code .N}.
 *
 * <p>Rotation is copy-and-truncate: the container's stdout is opened with O_APPEND, so after the
 * truncation its next write lands at offset 0 and nothing is corrupted. The trade-off: bytes
 * written between the end of the copy and the truncation are lost. The window is kept to a second
 * catch-up copy of what arrived during the first one, i.e. microseconds; renaming instead would
 * need the writer to reopen the file, which runc cannot do.
 */
final class ConsoleLogs {
  static final String NAME = "console.log";

  private ConsoleLogs() {}

  static Path rotated(Path log, int n) {
    return log.resolveSibling(log.getFileName() + "." + n);
  }

  /**
   * Rotates {@code log} when it is larger than {@code maxBytes}; keeps {@code keep} rotated files.
   */
  static boolean rotateIfNeeded(Path log, long maxBytes, int keep) throws IOException {
    if (!Files.exists(log) || Files.size(log) <= maxBytes) {
      return false;
    }
    Files.deleteIfExists(rotated(log, keep));
    for (int n = keep - 1; n >= 1; n--) {
      if (Files.exists(rotated(log, n))) {
        Files.move(rotated(log, n), rotated(log, n + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path first = rotated(log, 1);
    try (FileChannel in = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel out =
            FileChannel.open(
                first,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      long copied = 0;
      long size;
      // copy, then catch up with what was appended meanwhile, then truncate at once
      while ((size = in.size()) > copied) {
        copied += in.transferTo(copied, size - copied, out);
      }
      in.truncate(0);
    }
    return true;
  }

  /** The last {@code n} lines (all when negative) across the rotated files and the live one. */
  static List<String> tail(Path log, int n, int keep) throws IOException {
    Deque<String> lines = new ArrayDeque<>();
    for (int i = keep; i >= 1; i--) {
      addLines(rotated(log, i), lines, n, Long.MAX_VALUE);
    }
    addLines(log, lines, n, Long.MAX_VALUE);
    return new ArrayList<>(lines);
  }

  static void addLines(Path file, Deque<String> into, int max, long limitBytes) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] data = in.readNBytes((int) Math.min(limitBytes, Integer.MAX_VALUE - 16));
      String text = new String(data, StandardCharsets.UTF_8);
      int start = 0;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          push(into, text.substring(start, i), max);
          start = i + 1;
        }
      }
      if (start < text.length()) {
        push(into, text.substring(start), max);
      }
    }
  }

  private static void push(Deque<String> into, String line, int max) {
    if (max == 0) {
      return;
    }
    into.addLast(line);
    if (max > 0 && into.size() > max) {
      into.removeFirst();
    }
  }

  /**
   * Appends a line written by the runtime itself (not the container), e.g. a note about the init,
   * on stderr, stamped like the container's lines with {@code at}, the runtime's injected time.
   */
  static void note(Path log, Instant at, String line) {
    try (OutputStream out =
        Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      out.write(
          (LogLine.format(at, LogLine.STDERR, "[berth] " + line) + "\n")
              .getBytes(StandardCharsets.UTF_8));
    } catch (IOException ignored) {
      // a note is best effort
    }
  }
}
