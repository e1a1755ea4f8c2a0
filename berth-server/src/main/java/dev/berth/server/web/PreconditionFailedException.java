package dev.berth.server.web;

import dev.berth.core.support.BerthException;

/** An {@code If-Match} that names another version than the current one: 412 Precondition Failed. */
public class PreconditionFailedException extends BerthException {
  public PreconditionFailedException(String message) {
    super(message);
  }
}
