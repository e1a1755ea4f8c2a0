package dev.berth.core.runtime;

import java.time.Instant;

/**
 * Which log lines to read: those written at or after {@code since} (all when null; lines stored
 * without a time are older than any timed line and left out when {@code since} is set), of those
 * the last {@code tail} (all when negative), then, with {@code follow}, every new line until the
 * reader closes the stream.
 */
public record LogQuery(int tail, boolean follow, Instant since) {
  public static final LogQuery ALL = new LogQuery(-1, false, null);

  public LogQuery(int tail, boolean follow) {
    this(tail, follow, null);
  }

  /** Whether {@code line} passes {@code since}. */
  public boolean admits(LogLine line) {
    return since == null || (line.time() != null && !line.time().isBefore(since));
  }
}
