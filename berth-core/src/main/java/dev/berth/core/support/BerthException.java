package dev.berth.core.support;

/** The root of Berth's unchecked exceptions. Subclasses say what kind of failure it was. */
public class BerthException extends RuntimeException {
  public BerthException(String message) {
    super(message);
  }

  public BerthException(String message, Throwable cause) {
    super(message, cause);
  }
}
