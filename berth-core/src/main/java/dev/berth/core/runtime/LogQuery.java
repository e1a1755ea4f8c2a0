package dev.berth.core.runtime;

/**
 * Which log lines to read: the last {@code tail} lines (all when negative), then, with {@code follow},
 * every new line until the reader closes the stream.
 */
public record LogQuery(int tail, boolean follow) {
  public static final LogQuery ALL = new LogQuery(-1, false);
}
