package dev.berth.server.support.exec;

import dev.berth.core.support.BerthException;

/**
 * A command refused because too many run at once: 429 Too Many Requests with {@code Retry-After}.
 */
public class TooManyExecsException extends BerthException {
  /** The seconds a client is told to wait before it tries again. */
  public static final int RETRY_AFTER_SECONDS = 5;

  public TooManyExecsException(String message) {
    super(message);
  }
}
