package dev.berth.server.web;

import dev.berth.core.support.BerthException;

/**
 * A change that must say which state it replaces did not: the API answers 428 Precondition Required
 * with an {@code errors} entry naming {@code field} and what to send.
 */
public class PreconditionRequiredException extends BerthException {
  private final String field;
  private final String fieldMessage;

  public PreconditionRequiredException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
    this.fieldMessage = message;
  }

  public String field() {
    return field;
  }

  public String fieldMessage() {
    return fieldMessage;
  }
}
