package dev.berth.core.runtime;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One console log line: when it was written, to which stream ({@code stdout} or {@code stderr}),
 * its text and, in a log merged from several instances, the instance it came from ({@code source}).
 * {@code time} and {@code stream} are null for lines stored before Berth recorded them; a runtime
 * that knows the time but not the stream (the Kubernetes pod log) leaves only {@code stream} null.
 *
 * <p>The stored form is the CRI log format kubelet writes on every Kubernetes node: {@code <RFC
 * 3339 time> <stream> <F|P> <text>}, {@code F} for a full line and {@code P} for a part of a longer
 * one.
 */
public record LogLine(Instant time, String stream, String text, String source) {
  public static final String STDOUT = "stdout";
  public static final String STDERR = "stderr";

  public LogLine {
    text = text == null ? "" : text;
  }

  public static LogLine of(Instant time, String stream, String text) {
    return new LogLine(time, stream, text, null);
  }

  /**
   * A stored line: the CRI form when it has one, else the whole line as text without time or
   * stream.
   */
  public static LogLine parse(String stored) {
    int s1 = stored.indexOf(' ');
    if (s1 > 0 && s1 < 40 && Character.isDigit(stored.charAt(0))) {
      int s2 = stored.indexOf(' ', s1 + 1);
      String stream = s2 < 0 ? null : stored.substring(s1 + 1, s2);
      boolean tagged =
          (STDOUT.equals(stream) || STDERR.equals(stream))
              && stored.length() >= s2 + 2
              && (stored.charAt(s2 + 1) == 'F' || stored.charAt(s2 + 1) == 'P')
              && (stored.length() == s2 + 2 || stored.charAt(s2 + 2) == ' ');
      if (tagged) {
        try {
          Instant time = Instant.parse(stored.substring(0, s1));
          return new LogLine(
              time, stream, stored.length() > s2 + 3 ? stored.substring(s2 + 3) : "", null);
        } catch (DateTimeParseException notATime) {
          // a plain line that happens to look alike
        }
      }
    }
    return new LogLine(null, null, stored, null);
  }

  /** The stored (CRI) form of a full line. */
  public static String format(Instant time, String stream, String text) {
    return time + " " + stream + " F " + text;
  }

  public LogLine from(String newSource) {
    return new LogLine(time, stream, text, newSource);
  }

  /**
   * The line as shown to people: the source (when merged), the RFC 3339 time (with {@code
   * timestamps}, when known), the stream (with {@code streams}, when known), then the text,
   * separated by spaces.
   */
  public String render(boolean timestamps, boolean streams) {
    StringBuilder b = new StringBuilder();
    if (source != null) {
      b.append(source).append(' ');
    }
    if (timestamps && time != null) {
      b.append(time).append(' ');
    }
    if (streams && stream != null) {
      b.append(stream).append(' ');
    }
    return b.append(text).toString();
  }
}
