package dev.berth.server.image;

import dev.berth.core.support.BerthException;

/**
 * A dangerous operation was asked for without typing the object's name to confirm it. The API
 * answers 428 Precondition Required with the field (e.g. {@code confirm}) and what to type.
 */
public class ConfirmationRequired extends BerthException {
  private final String field;

  public ConfirmationRequired(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
