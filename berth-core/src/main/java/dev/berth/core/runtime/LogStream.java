package dev.berth.core.runtime;

import java.time.Duration;
import java.util.Optional;

/**
 * The lines of an instance's or run's console log (stdout and stderr together, in order written),
 * or of several merged ({@link LogStreams#merge}). Not thread-safe: one reader. Close it to stop
 * following and free the file.
 */
public interface LogStream extends AutoCloseable {
  /**
   * The next line, waiting up to {@code wait} for one to be written when following.
   *
   * @return the line, or empty when none came in time (or none is left; see {@link #ended()})
   */
  Optional<LogLine> next(Duration wait) throws InterruptedException;

  /** True when no line will ever come again: not following and everything was read. */
  boolean ended();

  @Override
  void close();
}
