package dev.berth.core.control;

import java.time.Duration;

/**
 * What one reconcile pass of a key concluded: done until something changes, look again after a
 * delay, or failed (retried with back-off and reported as a warning).
 */
public sealed interface Result {
  Result DONE = new Done();

  static Result requeueAfter(Duration delay) {
    return new Requeue(delay);
  }

  static Result failed(String reason) {
    return new Failed(reason);
  }

  record Done() implements Result {}

  record Requeue(Duration after) implements Result {}

  record Failed(String reason) implements Result {}
}
