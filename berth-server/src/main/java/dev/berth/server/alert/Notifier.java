package dev.berth.server.alert;

import dev.berth.core.alert.Receiver;

/** Sends one message to one receiver; one implementation per receiver type. */
interface Notifier {
  /**
   * Sends {@code n} once (no retries: the delivery queue retries). Answers what the receiver said,
   * e.g. {@code delivered: 200}; throws {@link NotifyException} saying why it was not delivered.
   */
  String send(Receiver receiver, String secret, NotificationJson n, String genericBody)
      throws NotifyException;

  /** A message was not delivered; {@code retry} false when another attempt cannot help. */
  final class NotifyException extends Exception {
    final boolean retry;

    NotifyException(String message, boolean retry) {
      super(message);
      this.retry = retry;
    }
  }
}
