package dev.berth.core.support;

/**
 * The request conflicts with the current state (name taken, stale version). The API answers 409.
 */
public class ConflictException extends BerthException {
  public ConflictException(String message) {
    super(message);
  }
}
