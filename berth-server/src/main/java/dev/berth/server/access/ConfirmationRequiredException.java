package dev.berth.server.access;

import dev.berth.core.support.BerthException;

/**
 * A red line: the request would delete something or scale production to zero, and did not repeat
 * the object's name in {@code confirm}. The API answers 428 Precondition Required naming the field.
 */
public class ConfirmationRequiredException extends BerthException {
  private final String expected;

  public ConfirmationRequiredException(String what, String expected, String given) {
    super(
        what
            + " needs a confirmation: "
            + (given == null || given.isEmpty() ? "send" : "'" + given + "' is not the name; send")
            + " confirm="
            + expected
            + " (the name typed back)");
    this.expected = expected;
  }

  /** What {@code confirm} must be. */
  public String expected() {
    return expected;
  }
}
