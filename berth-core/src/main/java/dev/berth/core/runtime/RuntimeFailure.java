package dev.berth.core.runtime;

import dev.berth.core.support.BerthException;

/** A runtime could not do what it was asked (runc failed, a mount failed); worth retrying later. */
public class RuntimeFailure extends BerthException {
  public RuntimeFailure(String message) {
    super(message);
  }

  public RuntimeFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
